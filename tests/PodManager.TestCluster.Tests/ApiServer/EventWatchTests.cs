using k8s;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class EventWatchTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EventsOfAPodCanBeWatchedWithAFieldSelector()
    {
        var name = Pods.Unique("watched-events");
        var list = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name}");
        using var cts = new CancellationTokenSource(Waits.Default);
        var reasons = new List<string>();

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        await foreach (var (type, item) in cluster.Client.CoreV1.WatchListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},involvedObject.kind=Pod", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal(name, item.InvolvedObject.Name);
            reasons.Add(item.Reason);
            if (item.Reason == "Started")
            {
                break;
            }
        }

        Assert.Equal("Scheduled", reasons[0]);
        Assert.Contains("Created", reasons);
    }
}
