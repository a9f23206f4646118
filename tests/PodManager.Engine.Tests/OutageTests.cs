using System.Collections.Concurrent;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManager.Engine.Pods;
using PodManager.TestCluster;
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
            Retry = ClusterFixture.PatientRetry,
        });
        await probe.GetServerVersionAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AWaitRidesOutAFiveSecondOutage()
    {
        var manager = cluster.NewManager();

        // The pod ends only when told to, after the outage, so the wait has to outlive the outage to see the end.
        var created = await manager.CreatePodAsync(TestPods.Shell($"{TestPods.AwaitRelease()}; exit 4"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Name, null, null, CancellationToken.None);
        var waiting = manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromSeconds(120), CancellationToken.None);
        var watches = manager.WatchRequestCount;

        // The engine that ends the pod has reached the cluster before the outage: an engine that never has fails at
        // once (its connect budget), where one that has rides the outage out.
        await using (var patient = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig }, new PodManagerOptions { Retry = ClusterFixture.PatientRetry }))
        {
            await patient.GetServerVersionAsync(CancellationToken.None);
            await cluster.Server.Admin.StartOutageAsync(TimeSpan.FromSeconds(5));
            await TestPods.ReleaseAsync(patient, created.Name);
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
            Retry = ClusterFixture.PatientRetry,
        });
        await other.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => waiting);
        Assert.Equal("PodNotFound", error.ErrorId);
    }

    [Fact]
    public async Task EveryWaiterFailsWithClusterUnreachableOnceTheClusterIsGoneLongerThanTheBudgetAndHearsEachReconnect()
    {
        await using var gone = await DyingClusterAsync();
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = LoopbackGuard.Check(gone.KubeConfigPath) }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry,
            UnreachableTimeout = TimeSpan.FromSeconds(1),
        });
        var name = await RunningPodAsync(manager);
        var heard = new ConcurrentQueue<string>();
        var waiting = new Waiting();
        Task<V1Pod> first;
        using (ApiCallListener.Listen(call => heard.Enqueue(call.ToString()), heard.Enqueue))
        {
            first = manager.AwaitPodCompletionAsync("default", name, null, CancellationToken.None, progress: waiting);
        }

        var second = manager.AwaitPodCompletionAsync("default", name, null, CancellationToken.None);
        await waiting.Started;

        await gone.Admin.StartOutageAsync(TimeSpan.FromHours(1));

        // Bounded so that a waiter that never gives up fails this test instead of hanging it.
        foreach (var waiter in new[] { first, second })
        {
            var error = await Assert.ThrowsAsync<PodManagerException>(() => waiter.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Equal("ClusterUnreachable", error.ErrorId);
            Assert.True(error.IsFatal);
            Assert.Contains(manager.Connection.Server, error.Message, StringComparison.Ordinal);
            Assert.Matches(@"unreachable for the last \d+ s", error.Message);
            Assert.Contains("longer than the 1 s", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains(heard, line => line.StartsWith("GET /api/v1/namespaces/default/pods?watch=true", StringComparison.Ordinal) && line.Contains("(attempt 2)", StringComparison.Ordinal));
        Assert.Contains(heard, line => line.Contains("reconnecting in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATimeLimitThatRunsOutWhileTheClusterIsUnreachableSaysSoInsteadOfBlamingThePod()
    {
        await using var gone = await DyingClusterAsync();
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = LoopbackGuard.Check(gone.KubeConfigPath) }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry,
        });
        var name = await RunningPodAsync(manager);
        var nowhere = await manager.CreatePodAsync(PodFactory.Build(TestPods.Shell("true") with { NodeSelector = new Dictionary<string, string> { ["disk"] = "none-such" } }, "default"), CancellationToken.None);
        var lostIt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new Waiting();
        using var stop = new CancellationTokenSource();
        Task<V1Pod> midWait;
        using (ApiCallListener.Listen(call =>
        {
            if (call.Failure is not null)
            {
                lostIt.TrySetResult();
            }
        }))
        {
            midWait = manager.AwaitPodCompletionAsync("default", name, null, stop.Token, progress: waiting);
        }

        await waiting.Started;
        await gone.Admin.StartOutageAsync(TimeSpan.FromHours(1));
        await lostIt.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Equal("ClusterUnreachable", error.ErrorId);
        Assert.Contains(manager.Connection.Server, error.Message, StringComparison.Ordinal);
        Assert.Contains("time limit of 1 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("had not completed", error.Message, StringComparison.Ordinal);
        Assert.Equal("PodCompletionTimeout", Assert.IsType<PodManagerException>(error.InnerException).ErrorId);

        // The start wait's own limits (schedule, then startup) are time limits too.
        // The pod as created stands in for the watch's view of it, so the wait needs no request of its own.
        var start = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodStartAsync("default", nowhere.Metadata.Name, TimeSpan.FromSeconds(1), null, CancellationToken.None, known: nowhere));
        Assert.Equal("ClusterUnreachable", start.ErrorId);
        Assert.Contains("time limit of 1 s", start.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => midWait);
    }

    /// <summary>A cluster of the test's own, to be cut off for good by an outage: every connection to it is reset, as a dead server's would be refused.</summary>
    private static Task<TestClusterServer> DyingClusterAsync() => TestClusterServer.StartAsync(new TestClusterOptions());

    private static async Task<string> RunningPodAsync(PodManager manager)
    {
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 300"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Name, null, null, CancellationToken.None);
        return created.Name;
    }

    /// <summary>Completes once a wait has its first state of the pod, so it is subscribed to the shared watch.</summary>
    private sealed class Waiting : IProgress<KPod>
    {
        private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => started.Task;

        public void Report(KPod value) => started.TrySetResult();
    }
}
