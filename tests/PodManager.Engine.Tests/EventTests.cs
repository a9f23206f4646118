using Xunit;

namespace PodManager.Engine.Tests;

public sealed class EventTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact] // Airflow's test_log_pod_event*, test_read_pod_events_with_resource_version and test_watch_pod_events*: each event once, however the watch is interrupted
    public async Task StreamedEventsArriveOnceEachThroughClosedAndExpiredWatches()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 2") with { Image = "registry.example/slow-pull/app:1" }, CancellationToken.None);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var seen = new List<KPodEvent>();
        await foreach (var e in manager.WatchPodEventsAsync("default", created.Name, stop.Token))
        {
            seen.Add(e);
            if (e.Reason == "Pulling")
            {
                await cluster.Server.Admin.CloseWatchesAsync();
                await cluster.Server.Admin.ExpireNextWatchAsync();
                await cluster.Server.Admin.CloseWatchesAsync();
            }

            if (e.Reason == "Started")
            {
                break;
            }
        }

        Assert.Equal(["Scheduled", "Pulling", "Pulled", "Created", "Started"], seen.Select(e => e.Reason));
        Assert.Equal(seen.Count, seen.Select(e => e.Name).Distinct().Count());
        Assert.All(seen, e => Assert.Equal(created.Name, e.Pod));
    }

    [Fact]
    public async Task ReadEventsListsThePodsEventsOldestFirst()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromMinutes(1), CancellationToken.None);
        var events = await manager.ReadPodEventsAsync("default", created.Name, CancellationToken.None);
        Assert.Equal("Scheduled", events[0].Reason);
        Assert.Contains(events, e => e.Reason == "Started" && e.FieldPath == "spec.containers{base}" && e.Source!.StartsWith("kubelet", StringComparison.Ordinal));
    }
}
