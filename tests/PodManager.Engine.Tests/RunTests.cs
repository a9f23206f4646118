using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class RunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static PodSpec Spec(string script, string? name = null) => PodSpec.FromTemplate(TestPods.Shell(script, name) with { Namespace = "default" });

    [Fact]
    public async Task ARunGoesFromCreateToResultAndDeletesThePod()
    {
        var manager = cluster.NewManager();
        var logs = new List<string>();
        var states = new List<string>();
        var outcome = await manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("echo step one; echo '{\"n\": 1}' > /airflow/xcom/return.json; echo step two"),
            XCom = true,
            OnLogLine = line => logs.Add(line.Message),
            OnStateChange = pod => states.Add(pod.Status),
        }, CancellationToken.None);

        Assert.Null(outcome.Failure);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal(0, outcome.Result.ExitCode);
        Assert.Equal("{\"n\": 1}", outcome.Result.XComJson);
        Assert.Equal(["step one", "step two"], logs);

        // The first state reported is whatever the watch sees first, which a loaded machine can make the last one; what
        // is certain is the order, and the state that ends the wait: the base container done, the sidecar still up.
        var stages = new Dictionary<string, int> { ["Pending"] = 0, ["ContainerCreating"] = 0, ["Running"] = 1, ["NotReady"] = 2 };
        Assert.All(states, state => Assert.Contains(state, stages.Keys));
        Assert.Equal(states.Select(state => stages[state]).Order(), states.Select(state => stages[state]));
        Assert.Equal("NotReady", states[^1]);
        Assert.True(outcome.Result.Deleted);
        var left = await manager.TryReadPodAsync("default", outcome.Result.Name, CancellationToken.None);
        Assert.True(left is null || left.Metadata.DeletionTimestamp is not null, "the pod was deleted");
    }

    [Fact] // anchor #49466: a pod left Pending by a start timeout is still removed by DeleteActivePod
    public async Task AStartTimeoutWithDeleteActivePodRemovesTheStillPendingPod()
    {
        var manager = cluster.NewManager();
        var outcome = await manager.RunPodAsync(new PodRunRequest
        {
            Pod = PodSpec.FromTemplate(TestPods.Shell("true") with { Namespace = "default", CpuRequest = "64" }),
            ScheduleTimeout = TimeSpan.FromSeconds(1),
            FinishAction = OnFinishAction.DeleteActivePod,
        }, CancellationToken.None);

        Assert.Equal("PodLaunchTimeout", outcome.Failure!.ErrorId);
        Assert.Equal(PodPhase.Pending, outcome.Result.Phase);
        Assert.Equal("Unschedulable", outcome.Result.Diagnosis!.Reason);
        Assert.True(outcome.Result.Deleted);
    }

    [Fact]
    public async Task DeleteSucceededPodKeepsAFailedPodForInspection()
    {
        var manager = cluster.NewManager();
        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("exit 2"), FinishAction = OnFinishAction.DeleteSucceededPod }, CancellationToken.None);
        Assert.Equal("PodFailed", outcome.Failure!.ErrorId);
        Assert.Equal(2, outcome.Result.ExitCode);
        Assert.False(outcome.Result.Deleted);
        Assert.NotNull(await manager.TryReadPodAsync("default", outcome.Result.Name, CancellationToken.None));
    }

    [Fact]
    public async Task CancellingARunAppliesTheOnKillActionAndLeavesNoPod()
    {
        var manager = cluster.NewManager();
        using var cancel = new CancellationTokenSource();
        var name = TestPods.UniqueName("kill");
        var running = manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("sleep 300", name),
            OnStateChange = pod => { if (pod.Phase == PodPhase.Running) { cancel.Cancel(); } },
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var left = await manager.TryReadPodAsync("default", name, CancellationToken.None);
        Assert.True(left is null || left.Metadata.DeletionTimestamp is not null, "the pod was deleted");
    }

    [Fact]
    public async Task CancellingARunWithKeepPodKeepsThePod()
    {
        var manager = cluster.NewManager();
        using var cancel = new CancellationTokenSource();
        var name = TestPods.UniqueName("keep");
        var running = manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("sleep 300", name),
            FinishAction = OnFinishAction.KeepPod,
            OnStateChange = pod => { if (pod.Phase == PodPhase.Running) { cancel.Cancel(); } },
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var kept = await manager.ReadPodAsync("default", name, CancellationToken.None);
        Assert.Null(kept.Metadata.DeletionTimestamp);
        await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task ASecondRunWithTheSameKeyReattachesToTheLivePodAndFollowsItToTheEnd()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("key");

        // The first run's pod ends only when the second run has reattached and seen it run, however slow the machine.
        var first = await manager.CreateOrReattachAsync(Spec("until [ -e /tmp/go ]; do sleep 0.05; done; echo from the first run"), key, xcom: false, CancellationToken.None);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        var second = manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("echo from the second run"),
            RunKey = key,
            OnLogLine = l => lines.Add(l.Message),
            OnStateChange = pod => { if (pod.Phase == PodPhase.Running) { running.TrySetResult(); } },
        }, CancellationToken.None);
        await running.Task.WaitAsync(TestPods.Generous);
        await manager.ExecAsync("default", first.Pod.Name, "base", ["touch", "/tmp/go"], stdin: null, CancellationToken.None);
        var outcome = await second;

        Assert.False(first.Reattached);
        Assert.True(outcome.Result.Reattached);
        Assert.Equal(first.Pod.Name, outcome.Result.Name);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal(["from the first run"], lines);
    }

    [Fact] // anchor #10544
    public async Task TwoLivePodsWithTheSameKeyAreMultipleRunPods()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("dup");
        var label = new Dictionary<string, string> { [RunKey.Label] = RunKey.LabelValue(key) };
        await manager.CreatePodAsync(TestPods.Shell("sleep 60") with { Labels = label }, CancellationToken.None);
        await manager.CreatePodAsync(TestPods.Shell("sleep 60") with { Labels = label }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.CreateOrReattachAsync(Spec("true"), key, xcom: false, CancellationToken.None));
        Assert.Equal("MultipleRunPods", error.ErrorId);
        Assert.Contains(RunKey.Label, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFinishedPodOfTheKeyGoesThroughTheFinishActionFirst()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("done");
        var earlier = await manager.CreateOrReattachAsync(Spec("echo earlier"), key, xcom: false, CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", earlier.Pod.Name, TimeSpan.FromMinutes(1), CancellationToken.None);

        var kept = await manager.GetOrCreatePodAsync(Spec("echo later").Pod, key, OnFinishAction.KeepPod, CancellationToken.None);
        Assert.True(kept.Reattached);
        Assert.Equal(earlier.Pod.Name, kept.Pod.Metadata.Name);

        var replaced = await manager.GetOrCreatePodAsync(Spec("echo later").Pod, key, OnFinishAction.DeletePod, CancellationToken.None);
        Assert.False(replaced.Reattached);
        Assert.NotEqual(earlier.Pod.Name, replaced.Pod.Metadata.Name);
        Assert.Null(await manager.TryReadPodAsync("default", earlier.Pod.Name, CancellationToken.None));
    }

    [Fact]
    public async Task FinishActionsDecideOnAFreshRead()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 60"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Name, null, null, CancellationToken.None);
        Assert.False(await manager.ApplyFinishActionAsync("default", created.Name, OnFinishAction.DeleteSucceededPod, 0, wait: true, CancellationToken.None));
        Assert.True(await manager.ApplyFinishActionAsync("default", created.Name, OnFinishAction.DeleteActivePod, 0, wait: true, CancellationToken.None));
        Assert.Null(await manager.TryReadPodAsync("default", created.Name, CancellationToken.None));
        Assert.False(await manager.ApplyFinishActionAsync("default", created.Name, OnFinishAction.DeletePod, 0, wait: true, CancellationToken.None));
    }

    [Fact]
    public async Task ARunWhoseCreateNeverGotAnAnswerLeavesNoPodBehind()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName("lost");
        await cluster.Server.Admin.AddFaultAsync(TestCluster.FaultRule.DropResponse("POST", "/api/v1/namespaces/default/pods", count: 10));
        try
        {
            var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.RunPodAsync(new PodRunRequest { Pod = Spec("sleep 300", name) }, CancellationToken.None));
            Assert.Equal("ClusterUnreachable", error.ErrorId);
        }
        finally
        {
            await cluster.Server.Admin.ClearFaultsAsync();
        }

        var left = await manager.TryReadPodAsync("default", name, CancellationToken.None);
        Assert.True(left is null || left.Metadata.DeletionTimestamp is not null, "the pod the lost create made was deleted");
    }

    [Theory] // the anchor's fetch_container_logs gives up on a log that keeps failing, and the task goes on
    [InlineData("echo done", 6, PodPhase.Succeeded, null)]
    [InlineData("echo broken; exit 3", 5, PodPhase.Failed, "PodFailed")]
    public async Task ALogThatCannotBeReadIsAWarningAndTheRunKeepsItsOutcome(string script, int failedLogReads, PodPhase phase, string? errorId)
    {
        var manager = cluster.NewManager();
        var warnings = new List<string>();
        var name = TestPods.UniqueName("logless");

        // More failures than the retry policy's 5 attempts for a succeeded pod; for a failed one exactly 5, so the
        // diagnosis after them reads the log again.
        await cluster.Server.Admin.AddFaultAsync(TestCluster.FaultRule.ForStatus(500, "GET", "/api/v1/namespaces/*/pods/*/log", count: failedLogReads));
        PodRunOutcome outcome;
        try
        {
            outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec(script, name), OnLogLine = _ => { }, OnWarning = warnings.Add }, CancellationToken.None);
        }
        finally
        {
            await cluster.Server.Admin.ClearFaultsAsync();
        }

        Assert.Equal(phase, outcome.Result.Phase);
        Assert.Equal(errorId, outcome.Failure?.ErrorId);
        var warning = Assert.Single(warnings);
        Assert.Contains($"pod default/{name}", warning, StringComparison.Ordinal);
        Assert.Contains("500", warning, StringComparison.Ordinal);
        Assert.True(outcome.Result.Deleted);
    }

    [Fact] // the FanOut benchmark's budget: at most 4 requests per pod besides the shared list and watch
    public async Task RunsWithLogsCostFourRequestsPerPod()
    {
        // The watch reports each container's end however late a loaded machine delivers it, so no follow reads the pod itself.
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry, FollowEndGrace = TestPods.Generous });
        await manager.AwaitPodCompletionAsync("default", (await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None)).Name, TestPods.Generous, CancellationToken.None);
        await cluster.Server.Admin.ResetRequestCountsAsync();
        const int Pods = 10;
        var lines = 0;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Pods).Select(i => manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("sleep 1; echo done"),
            OnLogLine = _ => Interlocked.Increment(ref lines),
        }, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.Equal(PodPhase.Succeeded, o.Result.Phase));
        Assert.Equal(Pods, lines);
        var counts = await cluster.Server.Admin.GetRequestCountsAsync();
        var perPod = counts.Where(c => c.Key is not ("list pods" or "watch pods")).Sum(c => c.Value) / (double)Pods;
        Assert.True(perPod <= 4, $"requests per pod: {perPod} ({string.Join(", ", counts)})");
    }
}
