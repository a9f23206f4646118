using k8s;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>One in-process test cluster per test class, with a client built through the <see cref="LoopbackGuard"/>.</summary>
public class ClusterFixture : IAsyncLifetime
{
    private TestClusterServer? server;
    private Kubernetes? client;

    public TestClusterServer Server => server ?? throw new InvalidOperationException("The cluster has not started.");

    public Kubernetes Client => client ?? throw new InvalidOperationException("The cluster has not started.");

    protected virtual TestClusterOptions Options => new()
    {
        CrashLoopBackOffBase = TimeSpan.FromMilliseconds(200),
        ImagePullBackOffBase = TimeSpan.FromMilliseconds(200),
        MaxBackOff = TimeSpan.FromSeconds(2),
        SlowPullDuration = TimeSpan.FromSeconds(1),
    };

    public async Task InitializeAsync()
    {
        server = await TestClusterServer.StartAsync(Options);
        client = new Kubernetes(LoopbackGuard.Load(server.KubeConfigPath));
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A client for another context of the kubeconfig (see <see cref="TestClusterContexts"/>).</summary>
    public Kubernetes As(string context) => new(LoopbackGuard.Load(Server.KubeConfigPath, context));

    /// <summary>A client that sends the given bearer token instead of the kubeconfig's.</summary>
    public Kubernetes WithToken(string token)
    {
        var config = LoopbackGuard.Load(Server.KubeConfigPath);
        config.AccessToken = token;
        return new Kubernetes(config);
    }

    /// <summary>A raw HTTP client for the cluster, after the same loopback check.</summary>
    public HttpClient Http(string? token = null)
    {
        LoopbackGuard.RequireLoopback(Server.Address.ToString(), "the test cluster");
        return Server.CreateHttpClient(token);
    }
}
