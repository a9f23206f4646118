using k8s.Models;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ApiServer.Authorization;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Registry.Pods;
using PodManager.TestCluster.ApiServer.Watch;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Controllers;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Faults;
using PodManager.TestCluster.Kubelet;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Hosting;

/// <summary>The cluster behind the HTTP surface: the stores, the node's kubelet, the scheduler, the namespace and
/// cluster role aggregation controllers, the volume binder, authentication and RBAC, and the REST handlers over them.</summary>
internal sealed class ClusterServices : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly Scheduler.Scheduler scheduler;
    private readonly NamespaceController namespaces;
    private readonly PersistentVolumeBinder volumeBinder;
    private readonly ClusterRoleAggregationController roleAggregation;
    private readonly ProcessLauncher launcher = new();

    public ClusterServices(TestClusterOptions options, string workDirectory)
    {
        var time = TimeProvider.System;
        State = new ClusterState(time, options.WatchHistorySize);
        var node = new NodeIdentity(options);
        var events = new EventRecorder(State, node.Name);
        var backOff = new BackOffPolicy(options.CrashLoopBackOffBase, options.ImagePullBackOffBase, options.MaxBackOff);
        Kubelet = new Kubelet.Kubelet(new KubeletContext(
            State,
            node,
            events,
            new ImagePuller(time, options.SlowPullDuration),
            new ContainerEnvironment(State, node),
            backOff,
            Path.Combine(workDirectory, "pods"),
            Path.Combine(workDirectory, "persistentvolumes"),
            ShellShim.Create(Path.Combine(workDirectory, "shim")),
            launcher));
        scheduler = new Scheduler.Scheduler(State, node, events);
        namespaces = new NamespaceController(State);
        volumeBinder = new PersistentVolumeBinder(State);
        roleAggregation = new ClusterRoleAggregationController(State);
        Tokens = new TokenAuthenticator(time);
        Credentials = new ClusterCredentials(Tokens, time, options.TokenLifetime, Path.Combine(workDirectory, "credentials"));
        Authorizer = new RbacAuthorizer(State);
        Watches = new WatchStreamer(new WatchRegistry(), time, options.WatchBookmarkInterval, maxBacklog: 100_000);
        Outage = new OutageGate(time);
        Logs = new PodLogEndpoint(State, Kubelet, Faults.TakeLogCut, Faults.TakeLogHold);
        Admin = new AdminEndpoints(Faults, Requests, Outage, Watches.Registry, Kubelet, State, Credentials);
        Resources =
        [
            new ResourceApi<V1Pod>(new PodStrategy(State, Logs, new PodExecEndpoint(State, Kubelet)), Watches),
            new ResourceApi<V1Namespace>(new NamespaceStrategy(State), Watches),
            new ResourceApi<Corev1Event>(new EventStrategy(State), Watches),
            new ResourceApi<V1Node>(new NodeStrategy(State), Watches),
            new ResourceApi<V1ConfigMap>(new ConfigMapStrategy(State), Watches),
            new ResourceApi<V1Secret>(new SecretStrategy(State), Watches),
            new ResourceApi<V1ServiceAccount>(new ServiceAccountStrategy(State), Watches),
            new ResourceApi<V1PersistentVolumeClaim>(new PersistentVolumeClaimStrategy(State), Watches),
            .. AuthorizationApis.Create(State, Watches, Authorizer),
        ];
        Seed(node);
    }

    public ClusterState State { get; }

    public Kubelet.Kubelet Kubelet { get; }

    public TokenAuthenticator Tokens { get; }

    public ClusterCredentials Credentials { get; }

    public RbacAuthorizer Authorizer { get; }

    public WatchStreamer Watches { get; }

    public PodLogEndpoint Logs { get; }

    public FaultInjector Faults { get; } = new();

    public RequestCounter Requests { get; } = new();

    public OutageGate Outage { get; }

    public AdminEndpoints Admin { get; }

    public IReadOnlyList<IResourceApi> Resources { get; }

    public void Start()
    {
        scheduler.Start();
        namespaces.Start();
        volumeBinder.Start();
        roleAggregation.Start();
        Kubelet.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await scheduler.DisposeAsync();
        await namespaces.DisposeAsync();
        await volumeBinder.DisposeAsync();
        await roleAggregation.DisposeAsync();
        await Kubelet.DisposeAsync();
        Credentials.Dispose();
        launcher.Dispose();
    }

    private void Seed(NodeIdentity node)
    {
        var now = Timestamps.Seconds(State.Time);
        foreach (var name in InitialNamespaces)
        {
            State.Namespaces.TryCreate(new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Uid = Guid.NewGuid().ToString(),
                    CreationTimestamp = now,
                    Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name },
                },
                Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] },
                Status = new V1NamespaceStatus { Phase = "Active" },
            });
        }

        BootstrapPolicy.Seed(State);
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "unknown";
        State.Nodes.TryCreate(node.ToNode(now, kernel));
    }
}
