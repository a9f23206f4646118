using System.Collections.Immutable;

namespace PodManager.TestCluster;

/// <summary>How a test cluster is started. Every option has a default that behaves like a real cluster.</summary>
public sealed record TestClusterOptions
{
    /// <summary>The HTTPS port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where to write the kubeconfig; null writes one into the cluster's temporary directory.</summary>
    public string? KubeConfigPath { get; init; }

    /// <summary>The directory under which the cluster creates its temporary directory (logs, volumes, container
    /// roots); null uses the system's temporary directory. Everything the cluster creates there is removed on stop.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The first CrashLoopBackOff delay; it doubles up to <see cref="MaxBackOff"/>. Real kubelets use 10 s.</summary>
    public TimeSpan CrashLoopBackOffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first ImagePullBackOff delay; it doubles up to <see cref="MaxBackOff"/>. Real kubelets use 10 s.</summary>
    public TimeSpan ImagePullBackOffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of both back-offs (5 min on a real kubelet).</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long pulling an image whose reference contains <c>slow-pull</c> takes.</summary>
    public TimeSpan SlowPullDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The node's name.</summary>
    public string NodeName { get; init; } = "testcluster-node";

    /// <summary>The node's allocatable CPU, as a Kubernetes quantity.</summary>
    public string NodeCpu { get; init; } = "4";

    /// <summary>The node's allocatable memory, as a Kubernetes quantity.</summary>
    public string NodeMemory { get; init; } = "8Gi";

    /// <summary>How many pods the node accepts.</summary>
    public int NodePods { get; init; } = 110;

    /// <summary>Labels the node carries besides <c>kubernetes.io/hostname</c>, <c>kubernetes.io/os</c>,
    /// <c>kubernetes.io/arch</c> and the control-plane role (the kubelet's <c>--node-labels</c>); a key given here wins.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The node's taints (the kubelet's <c>--register-with-taints</c>), written as <c>kubectl taint</c> takes
    /// them: <c>key=value:Effect</c> or <c>key:Effect</c>, the effect one of NoSchedule, PreferNoSchedule, NoExecute.</summary>
    public IReadOnlyList<string> NodeTaints { get; init; } = [];

    /// <summary>Extended resources the node advertises, as a device plugin would (e.g. <c>nvidia.com/gpu</c> = <c>2</c>):
    /// a fully qualified name outside <c>kubernetes.io</c> and a whole number.</summary>
    public IReadOnlyDictionary<string, string> NodeExtendedResources { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>How many changes per kind are kept for watches that resume from a resourceVersion; older ones get 410 Expired.</summary>
    public int WatchHistorySize { get; init; } = 10_000;

    /// <summary>How long the tokens of the expiring, token-file and exec-plugin users live (<see cref="TestClusterContexts"/>);
    /// the token file and the exec plugin's credential are renewed at 80% of it. Whole seconds, at least one.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often a quiet watch that asked for bookmarks gets one.</summary>
    public TimeSpan WatchBookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A test-suite mode: when set, every JSON object the cluster sends is validated against the Kubernetes OpenAPI
    /// schema of its kind; each violation is written to stderr, and when the cluster stops the number of validated
    /// objects and the violations are written to a file in this directory, and any violation makes
    /// <see cref="TestClusterServer.DisposeAsync"/> throw. Defaults to the environment variable
    /// <c>PODMANAGER_TESTCLUSTER_SCHEMA_CHECK</c>, which <c>build.ps1 -Task Test</c> sets.
    /// </summary>
    public string? SchemaCheckDirectory { get; init; } = Environment.GetEnvironmentVariable(SchemaCheckVariable) is { Length: > 0 } directory ? directory : null;

    /// <summary>The environment variable that turns the schema check on for every cluster of a test run.</summary>
    public const string SchemaCheckVariable = "PODMANAGER_TESTCLUSTER_SCHEMA_CHECK";
}
