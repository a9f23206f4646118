using PodManager.Engine.Connections;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Outages stop every connection to the cluster, so these tests have a cluster of their own and wait for its end.</summary>
public sealed class OutageTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The next test must not start inside this one's outage.
        await using var probe = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry with { MaxAttempts = 100 },
        });
        await probe.GetServerVersionAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AWaitRidesOutAFiveSecondOutage()
    {
        var manager = cluster.NewManager();

        // The pod ends only when told to, after the outage, so the wait has to outlive the outage to see the end.
        var created = await manager.CreatePodAsync(TestPods.Shell("until [ -e /tmp/done ]; do sleep 0.05; done; exit 4"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Name, null, null, CancellationToken.None);
        var waiting = manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromSeconds(120), CancellationToken.None);
        var watches = manager.WatchRequestCount;

        await cluster.Server.Admin.StartOutageAsync(TimeSpan.FromSeconds(5));
        await using (var patient = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig }, new PodManagerOptions { Retry = ClusterFixture.FastRetry with { MaxAttempts = 100 } }))
        {
            await patient.ExecAsync("default", created.Name, "base", ["touch", "/tmp/done"], stdin: null, startTimeout: null, CancellationToken.None);
        }

        var done = await waiting;

        Assert.Equal(4, done.Status.ContainerStatuses[0].State.Terminated.ExitCode);
        Assert.True(manager.WatchRequestCount > watches, "the watch was re-established after the outage");
    }

    [Fact]
    public async Task APodDeletedWhileTheWatchWasDownIsReportedGone()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 60"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Name, null, null, CancellationToken.None);
        var waiting = manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromMinutes(2), CancellationToken.None);

        await cluster.Server.Admin.ExpireNextWatchAsync();
        await cluster.Server.Admin.StartOutageAsync(TimeSpan.FromSeconds(2));
        await using var other = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry with { MaxAttempts = 100 },
        });
        await other.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => waiting);
        Assert.Equal("PodNotFound", error.ErrorId);
    }
}
