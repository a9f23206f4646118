using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Faults;

public sealed class FaultApiTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private TestClusterAdminClient Admin => cluster.Server.Admin;

    public Task InitializeAsync() => Admin.ClearFaultsAsync();

    public Task DisposeAsync() => Admin.ClearFaultsAsync();

    [Fact]
    public async Task AStatusFaultAnswersTheNextMatchingRequestsWithThatStatus()
    {
        await Admin.AddFaultAsync(FaultRule.ForStatus(503, method: "POST", path: "/api/v1/namespaces/*/pods", count: 2, retryAfterSeconds: 1));
        using var http = cluster.Http();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await http.PostAsync("/api/v1/namespaces/default/pods", JsonOf(Pods.Shell(Pods.Unique("faulted"), "true")));
            var status = await StatusAssert.ResponseAsync(response, 503, "ServiceUnavailable");
            Assert.Equal("1", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, status.GetProperty("details").GetProperty("retryAfterSeconds").GetInt32());
        }

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("after-fault"), "true"), "default");
        Assert.NotNull(created.Metadata.Uid);
    }

    [Fact]
    public async Task AStatusFaultOnlyMatchesItsMethodAndPath()
    {
        await Admin.AddFaultAsync(FaultRule.ForStatus(500, method: "GET", path: "/api/v1/namespaces/*/pods/only-this-one"));

        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync("only-this-one", "default"), 500, "InternalError");

        Assert.NotNull(list);
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync("only-this-one", "default"), 404, "NotFound");
    }

    [Fact]
    public async Task ADroppedResponseStillCarriesTheRequestOut()
    {
        var name = Pods.Unique("dropped");
        await Admin.AddFaultAsync(FaultRule.DropResponse(method: "POST", path: "/api/v1/namespaces/default/pods"));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default"));

        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        Assert.Equal(name, pod.Metadata.Name);
    }

    [Fact]
    public async Task ADelayHoldsTheRequest()
    {
        await Admin.AddFaultAsync(FaultRule.Delay(TimeSpan.FromMilliseconds(500), method: "GET", path: "/api/v1/namespaces/default/configmaps"));
        var clock = Stopwatch.StartNew();

        await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), $"the request took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CutLogStreamsEndsTheNextStreamsAfterSoManyLines(bool abort)
    {
        var name = Pods.Unique("long-log");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "seq 1 300"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        await Admin.AddFaultAsync(FaultRule.CutLogStreams(afterLines: 100, abort: abort));

        var read = new List<string>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(name, "default");
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync() is { } line)
            {
                read.Add(line);
            }
        });

        Assert.Equal(Enumerable.Range(1, abort ? read.Count : 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), read);
        Assert.Equal(abort, failure is not null);
        Assert.Equal(300, (await Waits.LogAsync(cluster.Client, "default", name)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task ACutAimedAtOnePodsLogLeavesTheLogsOfOtherPodsWhole()
    {
        var aimed = Pods.Unique("aimed-log");
        var other = Pods.Unique("other-log");
        foreach (var name in new[] { aimed, other })
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "seq 1 300"), "default");
            await Waits.ForCompletionAsync(cluster.Client, "default", name);
        }

        await Admin.AddFaultAsync(FaultRule.CutLogStreams(afterLines: 100) with { Path = $"/api/v1/namespaces/default/pods/{aimed}/log" });

        Assert.Equal(300, (await Waits.LogAsync(cluster.Client, "default", other)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1, Assert.Single(await Admin.GetFaultsAsync()).Remaining);
        Assert.Equal(100, (await Waits.LogAsync(cluster.Client, "default", aimed)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Empty(await Admin.GetFaultsAsync());
        Assert.Equal(300, (await Waits.LogAsync(cluster.Client, "default", aimed)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task HoldLogStreamsKeepsTheNextFollowOpenAfterTheContainerHasEnded()
    {
        var name = Pods.Unique("held-log");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo one; echo two"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        await Admin.AddFaultAsync(FaultRule.HoldLogStreams());
        using var cts = new CancellationTokenSource(Waits.Default);

        await using var held = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(name, "default", follow: true, cancellationToken: cts.Token);
        using var heldReader = new StreamReader(held);
        Assert.Equal("one", await heldReader.ReadLineAsync(cts.Token));
        Assert.Equal("two", await heldReader.ReadLineAsync(cts.Token));
        var afterTheEnd = heldReader.ReadLineAsync(cts.Token).AsTask();

        // The rule is used up: the next follow of the same log ends at its end, while the held one is still open.
        await using var next = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(name, "default", follow: true, cancellationToken: cts.Token);
        using var nextReader = new StreamReader(next);
        Assert.Equal("one\ntwo\n", await nextReader.ReadToEndAsync(cts.Token));
        Assert.False(afterTheEnd.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => afterTheEnd);
    }

    [Fact]
    public async Task ClosingWatchesEndsOpenStreams()
    {
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");
        using var cts = new CancellationTokenSource(Waits.Default);
        using var http = cluster.Http();
        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&labelSelector=none%3Dmatch&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);

        await Admin.CloseWatchesAsync();

        Assert.Null(await watch.NextLineAsync(cts.Token));
    }

    [Fact]
    public async Task ExpiringMakesTheNextWatchWithAResourceVersionGet410()
    {
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");
        await Admin.ExpireNextWatchAsync();
        using var cts = new CancellationTokenSource(Waits.Default);
        using var http = cluster.Http();

        await using var watch = await RawWatch.StartAsync(http, $"/api/v1/namespaces/default/pods?watch=true&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);
        var (type, status) = await watch.NextAsync(cts.Token);

        Assert.Equal("ERROR", type);
        Assert.Equal(410, status.GetProperty("code").GetInt32());
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TerminatingAContainerRecordsTheGivenExitCodeAndReason()
    {
        var name = Pods.Unique("oom");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        await Admin.TerminateContainerAsync("default", name, "base", 137, "OOMKilled");
        var pod = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var terminated = pod.Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal(137, terminated.ExitCode);
        Assert.Equal("OOMKilled", terminated.Reason);
    }

    [Fact]
    public async Task EvictionFailsThePodWithReasonEvicted()
    {
        var name = Pods.Unique("evicted");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        await Admin.EvictPodAsync("default", name);
        var pod = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status.Phase == "Failed" && p.Status.ContainerStatuses[0].State.Terminated is not null);

        Assert.Equal("Evicted", pod.Status.Reason);
        Assert.StartsWith("The node was low on resource: memory.", pod.Status.Message);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "DisruptionTarget" && c.Status == "True" && c.Reason == "TerminationByKubelet");
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},reason=Evicted");
        Assert.Equal("Warning", Assert.Single(events.Items).Type);
    }

    [Fact]
    public async Task RequestsAreCountedByVerbAndResource()
    {
        var name = Pods.Unique("counted");
        await Admin.ResetRequestCountsAsync();

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo counted"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        await Waits.LogAsync(cluster.Client, "default", name);
        await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        var counts = await Admin.GetRequestCountsAsync();

        Assert.Equal(1, counts["create pods"]);
        Assert.Equal(1, counts["get pods"]);
        Assert.Equal(1, counts["get pods/log"]);
        Assert.True(counts["list pods"] >= 1);
        Assert.DoesNotContain(counts.Keys, k => k.Contains("_testcluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFaultApiIsClosedToTheReadOnlyToken()
    {
        using var http = cluster.Http(token: cluster.Server.ReadOnlyToken);

        using var response = await http.GetAsync("/_testcluster/requests");

        await StatusAssert.ResponseAsync(response, 403, "Forbidden");
    }

    [Fact]
    public async Task AnInvalidRuleIsABadRequest()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Admin.AddFaultAsync(new FaultRule { Kind = "earthquake" }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    private static StringContent JsonOf(V1Pod pod) =>
        new(KubernetesJson.Serialize(pod), System.Text.Encoding.UTF8, "application/json");
}

public sealed class OutageTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task DuringAnOutageConnectionsFailAndAfterItTheStateIsIntact()
    {
        var name = Pods.Unique("survivor");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        await cluster.Server.Admin.StartOutageAsync(TimeSpan.FromSeconds(2));
        using (var fresh = new Kubernetes(LoopbackGuard.Load(cluster.Server.KubeConfigPath)))
        {
            var failure = await Record.ExceptionAsync(() => fresh.CoreV1.ListNamespacedPodAsync("default"));
            Assert.True(IsConnectionFailure(failure), $"expected a connection failure, got {failure}");
        }

        var pod = await RetryUntilServedAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default"));
        Assert.Equal("Running", pod.Status.Phase);
    }

    /// <summary>A reset connection surfaces as any of these, depending on where the handshake was cut.</summary>
    private static bool IsConnectionFailure(Exception? error) =>
        error is HttpRequestException or IOException or System.Net.Sockets.SocketException;

    /// <summary>Retries like a client with back-off would, until the outage is over.</summary>
    private static async Task<T> RetryUntilServedAsync<T>(Func<Task<T>> call)
    {
        using var cts = new CancellationTokenSource(Waits.Default);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (IsConnectionFailure(error) && !cts.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cts.Token);
            }
        }
    }
}
