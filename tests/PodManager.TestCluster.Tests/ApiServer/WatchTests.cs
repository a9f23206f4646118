using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class WatchTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static CancellationTokenSource Timeout() => new(Waits.Default);

    [Fact]
    public async Task WithoutAResourceVersionTheCurrentObjectsArriveAsAdded()
    {
        var name = Pods.Unique("synthetic");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        using var cts = Timeout();
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3D{name}", cts.Token);
        var (type, pod) = await watch.NextAsync(cts.Token);

        Assert.Equal("ADDED", type);
        Assert.Equal(name, pod.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task FromAResourceVersionOnlyLaterChangesArrive()
    {
        var label = Pods.Unique("resume");
        var labels = new Dictionary<string, string> { ["test"] = label };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("before"), "true", labels: labels), "default");
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"test={label}");
        var after = Pods.Unique("after");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(after, "true", labels: labels), "default");
        using var cts = Timeout();
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=1&labelSelector=test%3D{label}&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);

        // The "before" pod may still change after the list (its kubelet updates), but it is never ADDED again.
        while (true)
        {
            var (type, pod) = await watch.NextAsync(cts.Token);
            var name = pod.GetProperty("metadata").GetProperty("name").GetString();
            Assert.True(long.Parse(pod.GetProperty("metadata").GetProperty("resourceVersion").GetString()!) > long.Parse(list.Metadata.ResourceVersion));
            if (name == after)
            {
                Assert.Equal("ADDED", type);
                break;
            }

            Assert.Equal("MODIFIED", type);
        }
    }

    [Fact]
    public async Task HeadersAreFlushedBeforeAnyEventAndEventsAreCompactLines()
    {
        var label = Pods.Unique("framing");
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"test={label}");
        using var cts = Timeout();
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&labelSelector=test%3D{label}&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType?.MediaType);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("framed"), "true", labels: new Dictionary<string, string> { ["test"] = label }), "default");
        var line = await watch.NextLineAsync(cts.Token);

        Assert.NotNull(line);
        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{", line);
        Assert.DoesNotContain("\n", line);
        Assert.DoesNotContain("  ", line);
    }

    [Fact]
    public async Task TimeoutSecondsEndsTheStreamNormally()
    {
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "test=nothing-matches");
        using var cts = Timeout();
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&labelSelector=test%3Dnothing-matches&resourceVersion={list.Metadata.ResourceVersion}&timeoutSeconds=1", cts.Token);

        Assert.Null(await watch.NextLineAsync(cts.Token));
    }

    [Fact]
    public async Task SelectorTransitionsArriveAsAddedAndDeleted()
    {
        var name = Pods.Unique("transition");
        using var cts = Timeout();
        var events = new List<(WatchEventType Type, V1Pod Pod)>();
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Running");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "sleep 1"), "default");

        await foreach (var change in cluster.Client.CoreV1.WatchListNamespacedPodAsync("default", fieldSelector: "status.phase=Running", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (change.Item2.Metadata.Name != name)
            {
                continue;
            }

            events.Add(change);
            if (change.Item1 == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal(WatchEventType.Added, events[0].Type);
        Assert.Equal("Running", events[0].Pod.Status.Phase);
        Assert.Equal(WatchEventType.Deleted, events[^1].Type);
        Assert.Equal("Running", events[^1].Pod.Status.Phase);
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.True(long.Parse(events[^1].Pod.Metadata.ResourceVersion) <= long.Parse(pod.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task InitialEventsEndWithAnAnnotatedBookmarkWhenAsked()
    {
        var label = Pods.Unique("initial");
        var name = Pods.Unique("initial");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", labels: new Dictionary<string, string> { ["test"] = label }), "default");
        using var cts = Timeout();
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&labelSelector=test%3D{label}&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan", cts.Token);
        var (addedType, added) = await watch.NextAsync(cts.Token);
        var (bookmarkType, bookmark) = await watch.NextAsync(cts.Token);

        Assert.Equal("ADDED", addedType);
        Assert.Equal(name, added.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("BOOKMARK", bookmarkType);
        Assert.Equal("Pod", bookmark.GetProperty("kind").GetString());
        Assert.Equal("true", bookmark.GetProperty("metadata").GetProperty("annotations").GetProperty("k8s.io/initial-events-end").GetString());
    }

    [Fact]
    public async Task DeletedCarriesTheLastStateWithTheDeletesResourceVersion()
    {
        var name = Pods.Unique("gone");
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: $"metadata.name={name}");
        using var cts = Timeout();
        using var http = cluster.Http();
        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/watch/namespaces/default/pods/{name}?resourceVersion={list.Metadata.ResourceVersion}", cts.Token);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        JsonElement deleted;
        string type;
        do
        {
            (type, deleted) = await watch.NextAsync(cts.Token);
        }
        while (type != "DELETED");

        Assert.Equal(created.Metadata.Uid, deleted.GetProperty("metadata").GetProperty("uid").GetString());
        Assert.True(long.Parse(deleted.GetProperty("metadata").GetProperty("resourceVersion").GetString()!) > long.Parse(list.Metadata.ResourceVersion));
    }
}

public sealed class ShortHistoryFixture : ClusterFixture
{
    protected override TestClusterOptions Options => base.Options with { WatchHistorySize = 5 };
}

public sealed class WatchExpiryTests(ShortHistoryFixture cluster) : IClassFixture<ShortHistoryFixture>
{
    [Fact]
    public async Task ATooOldResourceVersionGets200AndAnExpiredErrorEvent()
    {
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");
        for (var i = 0; i < 8; i++)
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("churn"), "true"), "default");
        }

        using var cts = new CancellationTokenSource(Waits.Default);
        using var http = cluster.Http();
        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);
        var (type, status) = await watch.NextAsync(cts.Token);

        Assert.Equal(200, (int)watch.Response.StatusCode);
        Assert.Equal("ERROR", type);
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
        Assert.Equal(410, status.GetProperty("code").GetInt32());
        Assert.StartsWith($"too old resource version: {list.Metadata.ResourceVersion} (", status.GetProperty("message").GetString());
        Assert.Null(await watch.NextLineAsync(cts.Token));
    }
}
