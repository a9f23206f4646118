using System.Globalization;
using PodManager.TestCluster.Kubelet;

namespace PodManager.TestCluster.Hosting;

/// <summary>The command line of the test cluster executable.</summary>
internal sealed record CommandLine(TestClusterOptions Options, bool ShowHelp, string? Error)
{
    public const string Usage = """
        usage: PodManager.TestCluster --kubeconfig PATH [options]

          --kubeconfig PATH              write the kubeconfig here once ready (required)
          --port N                       HTTPS port on 127.0.0.1 (default: a free port)
          --work-dir DIR                 parent of the cluster's temporary directory (default: the system temp dir)
          --crash-loop-back-off SECONDS  first CrashLoopBackOff delay (default 10)
          --image-pull-back-off SECONDS  first ImagePullBackOff delay (default 10)
          --max-back-off SECONDS         cap of both back-offs (default 300)
          --slow-pull SECONDS            pull time of images whose name contains slow-pull (default 5)
          --node-name NAME               the node's name (default testcluster-node)
          --node-cpu QUANTITY            allocatable CPU (default 4)
          --node-memory QUANTITY         allocatable memory (default 8Gi)
          --node-pods N                  allocatable pods (default 110)
          --node-label KEY=VALUE         a node label (repeatable)
          --node-taint KEY[=VALUE]:EFFECT
                                         a node taint, EFFECT one of NoSchedule, PreferNoSchedule, NoExecute (repeatable)
          --node-extended-resource NAME=COUNT
                                         an extended resource of the node, e.g. nvidia.com/gpu=2 (repeatable)
          --watch-history N              changes kept per kind for watch resumption (default 10000)
          --token-ttl SECONDS            lifetime of the expiring, token-file and exec-plugin tokens (default 3600)
          --schema-check DIR             validate every JSON object sent against the Kubernetes OpenAPI schema and
                                         write the count and violations to DIR on stop (exit code 1 on a violation)
          --help                         show this help

        Prints "ready https://127.0.0.1:PORT" when serving; SIGINT or SIGTERM stops it, killing every container.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new TestClusterOptions();
        string? kubeConfig = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return new CommandLine(options, true, null);
            }

            if (i + 1 >= args.Count)
            {
                return new CommandLine(options, false, $"missing value for {name}");
            }

            var value = args[++i];
            try
            {
                options = name switch
                {
                    "--kubeconfig" => options with { KubeConfigPath = kubeConfig = value },
                    "--port" => options with { Port = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--work-dir" => options with { WorkDirectory = value },
                    "--crash-loop-back-off" => options with { CrashLoopBackOffBase = Seconds(value) },
                    "--image-pull-back-off" => options with { ImagePullBackOffBase = Seconds(value) },
                    "--max-back-off" => options with { MaxBackOff = Seconds(value) },
                    "--slow-pull" => options with { SlowPullDuration = Seconds(value) },
                    "--node-name" => options with { NodeName = value },
                    "--node-cpu" => options with { NodeCpu = Quantity(value) },
                    "--node-memory" => options with { NodeMemory = Quantity(value) },
                    "--node-pods" => options with { NodePods = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--watch-history" => options with { WatchHistorySize = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--node-label" => options with { NodeLabels = With(options.NodeLabels, Pair(value), NodeRegistration.CheckLabel) },
                    "--node-taint" => options with { NodeTaints = [.. options.NodeTaints, Taint(value)] },
                    "--node-extended-resource" => options with { NodeExtendedResources = With(options.NodeExtendedResources, Pair(value), (k, v) => NodeRegistration.CheckExtendedResource(k, v)) },
                    "--token-ttl" => options with { TokenLifetime = WholeSeconds(value) },
                    "--schema-check" => options with { SchemaCheckDirectory = value },
                    _ => throw new ArgumentException($"unknown option {name}"),
                };
            }
            catch (Exception error) when (error is FormatException or OverflowException or ArgumentException)
            {
                return new CommandLine(options, false, $"{name}: {error.Message}");
            }
        }

        return kubeConfig is null
            ? new CommandLine(options, false, "--kubeconfig is required")
            : new CommandLine(options, false, null);
    }

    private static (string Key, string Value) Pair(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals <= 0 ? throw new ArgumentException($"expected KEY=VALUE, got {value}") : (value[..equals], value[(equals + 1)..]);
    }

    private static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> map, (string Key, string Value) pair, Action<string, string> check)
    {
        check(pair.Key, pair.Value);
        return new Dictionary<string, string>(map) { [pair.Key] = pair.Value };
    }

    private static string Taint(string value)
    {
        NodeRegistration.ParseTaint(value);
        return value;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

    private static TimeSpan WholeSeconds(string value)
    {
        var seconds = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return seconds >= 1 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException("must be a whole number of seconds, at least 1");
    }

    /// <summary>Checks a Kubernetes quantity such as <c>500m</c> or <c>8Gi</c>.</summary>
    private static string Quantity(string value)
    {
        _ = new k8s.Models.ResourceQuantity(value).ToDecimal();
        return value;
    }
}
