using PodManager.Engine.Resilience;
using PodManager.Engine.Connections;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>An in-process test cluster per test class, and engines pointed at it through the loopback guard.</summary>
public class ClusterFixture : IAsyncLifetime
{
    /// <summary>Production back-off shape, scaled down so retry tests take seconds, not minutes.</summary>
    public static readonly RetryOptions FastRetry = RetryOptions.Default with
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>For an engine of its own that waits out an outage a test started: every attempt, even before the first answer.</summary>
    public static readonly RetryOptions PatientRetry = FastRetry with { MaxAttempts = 100, ConnectBudget = TimeSpan.FromMinutes(2) };

    private readonly List<PodManager> managers = [];

    public TestClusterServer Server { get; private set; } = null!;

    public string KubeConfig => LoopbackGuard.Check(Server.KubeConfigPath);

    /// <summary>The cluster's options; fixtures for back-off behaviour shorten its delays.</summary>
    protected virtual TestClusterOptions ClusterOptions => new();

    public async Task InitializeAsync()
    {
        Server = await TestClusterServer.StartAsync(ClusterOptions);
        LoopbackGuard.Check(Server.KubeConfigPath);
    }

    public async Task DisposeAsync()
    {
        foreach (var manager in managers)
        {
            await manager.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    public PodManager NewManager(PodManagerOptions? options = null, string? context = null)
    {
        var manager = PodManager.Create(
            new ConnectionSettings { KubeConfigPath = KubeConfig, Context = context },
            options ?? new PodManagerOptions { Retry = FastRetry });
        lock (managers)
        {
            managers.Add(manager);
        }

        return manager;
    }
}

/// <summary>A cluster whose image-pull and crash-loop back-offs take a fraction of a second.</summary>
public sealed class FastBackOffClusterFixture : ClusterFixture
{
    protected override TestClusterOptions ClusterOptions => new()
    {
        ImagePullBackOffBase = TimeSpan.FromMilliseconds(300),
        CrashLoopBackOffBase = TimeSpan.FromMilliseconds(300),
        SlowPullDuration = TimeSpan.FromSeconds(2),
    };
}
