using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class RunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static PodDescription Spec(string script, string? name = null) => PodDescription.FromBuildOptions(TestPods.Shell(script, name) with { Namespace = "default" });

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

    [Fact] // apache/airflow#49466: a pod left Pending by a start timeout is still removed by DeleteActivePod
    public async Task AStartTimeoutWithDeleteActivePodRemovesTheStillPendingPod()
    {
        var manager = cluster.NewManager();
        var outcome = await manager.RunPodAsync(new PodRunRequest
        {
            Pod = PodDescription.FromBuildOptions(TestPods.Shell("true") with { Namespace = "default", CpuRequest = "64" }),
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
        var first = await manager.CreateOrReattachAsync(Spec($"{TestPods.AwaitRelease()}; echo from the first run"), key, xcom: false, CancellationToken.None);
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
        await TestPods.ReleaseAsync(manager, first.Pod.Name);
        var outcome = await second;

        Assert.False(first.Reattached);
        Assert.True(outcome.Result.Reattached);
        Assert.Equal(first.Pod.Name, outcome.Result.Name);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal(["from the first run"], lines);
    }

    [Fact] // apache/airflow#10544
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

    [Fact] // issue 10, the operator's already_checked label: a kept pod's outcome is reported once, then a rerun with its key runs anew
    public async Task ARerunAfterAReportedKeptPodStartsANewPodWithItsOwnResult()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("again");
        var first = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("echo '{\"run\": 1}' > /airflow/xcom/return.json"), RunKey = key, XCom = true, FinishAction = OnFinishAction.KeepPod }, CancellationToken.None);
        var second = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("echo '{\"run\": 2}' > /airflow/xcom/return.json"), RunKey = key, XCom = true, FinishAction = OnFinishAction.KeepPod }, CancellationToken.None);

        Assert.Null(first.Failure);
        Assert.Equal("{\"run\": 1}", first.Result.XComJson);
        Assert.Null(second.Failure);
        Assert.False(second.Result.Reattached);
        Assert.NotEqual(first.Result.Name, second.Result.Name);
        Assert.Equal("{\"run\": 2}", second.Result.XComJson);
        var marked = await manager.ReadPodAsync("default", first.Result.Name, CancellationToken.None);
        Assert.Equal("true", marked.Metadata.Labels["podmanager.io/already-checked"]);
        await manager.DeletePodAsync("default", first.Result.Name, 0, wait: false, null, CancellationToken.None);
        await manager.DeletePodAsync("default", second.Result.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact] // issue 10: DeleteSucceededPod keeps a failure for inspection, and a rerun does not report that failure again
    public async Task ARerunAfterAFailureKeptByDeleteSucceededPodStartsANewPod()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("retry");
        var failed = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("exit 3"), RunKey = key, FinishAction = OnFinishAction.DeleteSucceededPod }, CancellationToken.None);
        var retried = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true"), RunKey = key, FinishAction = OnFinishAction.DeleteSucceededPod }, CancellationToken.None);

        Assert.Equal("PodFailed", failed.Failure?.ErrorId);
        Assert.False(failed.Result.Deleted);
        Assert.False(retried.Result.Reattached);
        Assert.Null(retried.Failure);
        Assert.Equal(PodPhase.Succeeded, retried.Result.Phase);
        Assert.True(retried.Result.Deleted);
        Assert.NotNull(await manager.TryReadPodAsync("default", failed.Result.Name, CancellationToken.None));
        await manager.DeletePodAsync("default", failed.Result.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact] // issue 10: the kept pod still holds the name, so the new pod of the run key gets one of its own
    public async Task ARerunWithAFixedNameGetsADistinctName()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("named");
        var name = TestPods.UniqueName("fixed");
        var first = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true", name), RunKey = key, FinishAction = OnFinishAction.KeepPod }, CancellationToken.None);
        var second = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true", name), RunKey = key, FinishAction = OnFinishAction.KeepPod }, CancellationToken.None);

        Assert.Equal(name, first.Result.Name);
        Assert.Null(second.Failure);
        Assert.False(second.Result.Reattached);
        Assert.StartsWith(name + "-", second.Result.Name, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", first.Result.Name, 0, wait: false, null, CancellationToken.None);
        await manager.DeletePodAsync("default", second.Result.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact] // as the operator's patch_already_checked: a label that cannot be set does not fail the run, it warns
    public async Task AKeptPodThatCannotBeLabelledIsAWarningNotAFailure()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName("nolabel");
        var warnings = new List<string>();
        await cluster.Server.Admin.AddFaultAsync(TestCluster.FaultRule.ForStatus(403, "PATCH", $"/api/v1/namespaces/default/pods/{name}"));
        try
        {
            var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true", name), RunKey = TestPods.UniqueName("key"), FinishAction = OnFinishAction.KeepPod, OnWarning = warnings.Add }, CancellationToken.None);

            Assert.Null(outcome.Failure);
            Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
            Assert.Contains("podmanager.io/already-checked=true", Assert.Single(warnings), StringComparison.Ordinal);
        }
        finally
        {
            await cluster.Server.Admin.ClearFaultsAsync();
            await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
        }
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

    [Theory] // Airflow's fetch_container_logs gives up on a log that keeps failing, and the task goes on
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

        // The result's last log lines come from the log the run followed, not from a second read.
        Assert.All(outcomes, o => Assert.Equal(["done"], o.Result.LastLogLines));
        var counts = await cluster.Server.Admin.GetRequestCountsAsync();
        var perPod = counts.Where(c => c.Key is not ("list pods" or "watch pods")).Sum(c => c.Value) / (double)Pods;
        Assert.True(perPod <= 4, $"requests per pod: {perPod} ({string.Join(", ", counts)})");
    }

    [Fact] // without a followed log, the result's last lines cost one log request, and no read of the pod
    public async Task RunsWithoutLogsKeepTheLastLinesWithOneLogRequestPerPod()
    {
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry });
        await manager.AwaitPodCompletionAsync("default", (await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None)).Name, TestPods.Generous, CancellationToken.None);
        await cluster.Server.Admin.ResetRequestCountsAsync();
        const int Pods = 5;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Pods).Select(_ => manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec("seq 1 30"),
            LastLogLines = 3,
        }, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.Equal(["28", "29", "30"], o.Result.LastLogLines));
        var counts = await cluster.Server.Admin.GetRequestCountsAsync();
        Assert.Equal(Pods, counts.GetValueOrDefault("get pods/log"));
        var perPod = counts.Where(c => c.Key is not ("list pods" or "watch pods")).Sum(c => c.Value) / (double)Pods;
        Assert.True(perPod <= 4, $"requests per pod: {perPod} ({string.Join(", ", counts)})");
    }
}
