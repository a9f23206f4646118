using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class SharedWatchFaultTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<long> CountAsync(string key) =>
        (await cluster.Server.Admin.GetRequestCountsAsync()).GetValueOrDefault(key);

    [Fact]
    public async Task AHundredPodsAwaitedAtOnceCostOneWatchAndAtMostTwoGetsEach()
    {
        var manager = cluster.NewManager();
        var names = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            names.Add((await manager.CreatePodAsync(TestPods.Shell($"sleep 1; exit {i % 2}"), CancellationToken.None)).Name);
        }

        await cluster.Server.Admin.ResetRequestCountsAsync();
        var done = await Task.WhenAll(names.Select(n => manager.AwaitPodCompletionAsync("default", n, TimeSpan.FromMinutes(5), CancellationToken.None)));

        Assert.Equal(names.Select((_, i) => i % 2), done.Select(p => p.Status.ContainerStatuses[0].State.Terminated.ExitCode));
        Assert.True(await CountAsync("watch pods") <= 3, $"watch requests: {await CountAsync("watch pods")}");
        Assert.True(await CountAsync("get pods") <= 2 * names.Count, $"pod GETs: {await CountAsync("get pods")}");
        foreach (var name in names)
        {
            await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ClosedWatchesAreResumedWithoutMissingATransition()
    {
        var manager = cluster.NewManager();

        // The closes must meet the shared watch open, not on its way. The watch starts (and lists) before the marker pod
        // exists, so the marker's start can only come through it: then the server serves it.
        using (await manager.WatchPodAsync("default", "no-such-pod", CancellationToken.None))
        {
        }

        var marker = await manager.CreatePodAsync(PodFactory.Build(TestPods.Shell("true"), "default"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", marker.Metadata.Name, null, null, CancellationToken.None, known: marker);
        var names = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            names.Add((await manager.CreatePodAsync(TestPods.Shell($"sleep {1 + i % 2}; exit {i}"), CancellationToken.None)).Name);
        }

        await manager.AwaitPodStartAsync("default", names[0], null, null, CancellationToken.None);
        var waits = names.Select(n => manager.AwaitPodCompletionAsync("default", n, TimeSpan.FromMinutes(2), CancellationToken.None)).ToList();
        var before = manager.WatchRequestCount;
        await cluster.Server.Admin.CloseWatchesAsync();
        await cluster.Server.Admin.CloseWatchesAsync();

        var done = await Task.WhenAll(waits);
        Assert.Equal([0, 1, 2, 3, 4], done.Select(p => p.Status.ContainerStatuses[0].State.Terminated.ExitCode));

        // Counted by this engine: the cluster also serves the lingering watches of earlier tests' engines.
        Assert.InRange(manager.WatchRequestCount - before, 1, 2);
    }

    [Fact]
    public async Task AnExpiredResourceVersionMakesTheWatchRelistAndNoWaiterIsLost()
    {
        var manager = cluster.NewManager();
        var first = await manager.CreatePodAsync(TestPods.Shell("sleep 2; exit 6"), CancellationToken.None);
        var waiting = manager.AwaitPodCompletionAsync("default", first.Name, TimeSpan.FromMinutes(2), CancellationToken.None);
        var second = await manager.CreatePodAsync(TestPods.Shell("sleep 2; exit 7"), CancellationToken.None);
        var alsoWaiting = manager.AwaitPodCompletionAsync("default", second.Name, TimeSpan.FromMinutes(2), CancellationToken.None);

        await cluster.Server.Admin.ResetRequestCountsAsync();
        await cluster.Server.Admin.ExpireNextWatchAsync();
        await cluster.Server.Admin.CloseWatchesAsync();

        Assert.Equal(6, (await waiting).Status.ContainerStatuses[0].State.Terminated.ExitCode);
        Assert.Equal(7, (await alsoWaiting).Status.ContainerStatuses[0].State.Terminated.ExitCode);
        Assert.True(await CountAsync("list pods") >= 1, "the 410 led to a relist");
    }
}
