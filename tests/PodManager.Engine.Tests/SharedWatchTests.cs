using Xunit;

namespace PodManager.Engine.Tests;

public sealed class SharedWatchTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ManyPodsAwaitedAtOnceShareOneWatch()
    {
        var manager = cluster.NewManager();
        var names = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            names.Add((await manager.CreatePodAsync(TestPods.Shell($"sleep 0.{i % 5}; exit {i % 3}"), CancellationToken.None)).Name);
        }

        var results = await Task.WhenAll(names.Select(n => manager.AwaitPodCompletionAsync("default", n, TestPods.Generous, CancellationToken.None)));
        Assert.Equal(names.Select((_, i) => i % 3), results.Select(p => p.Status.ContainerStatuses[0].State.Terminated.ExitCode));
        Assert.Equal(1, manager.WatchRequestCount);
    }

    [Fact]
    public async Task ASecondWaitReusesTheLingeringWatch()
    {
        var manager = cluster.NewManager();
        var first = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", first.Name, TestPods.Generous, CancellationToken.None);
        var second = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", second.Name, TestPods.Generous, CancellationToken.None);
        Assert.Equal(1, manager.WatchRequestCount);
    }

    [Fact]
    public async Task AWatchOutlivesThePerRequestTimeout()
    {
        // Short enough that the pod outlives it three times, long enough that a loaded machine still answers a list in it.
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry with { RequestTimeout = TimeSpan.FromSeconds(3) } });
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 9"), CancellationToken.None);
        var done = await manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None);
        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(1, manager.WatchRequestCount);
    }
}
