using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class XComTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<(PodManager Manager, string Name)> XComPodAsync(string script, PodManagerOptions? options = null)
    {
        var manager = cluster.NewManager(options);
        var spec = PodDescription.FromBuildOptions(TestPods.Shell(script) with { Namespace = "default" });
        var created = await manager.CreateOrReattachAsync(spec, runKey: null, xcom: true, CancellationToken.None);
        return (manager, created.Pod.Name);
    }

    private static async Task<string> SidecarStateAfterExtractionAsync(PodManager manager, string name)
    {
        var done = await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None, XComDefaults.SidecarName);
        return done.Status.ContainerStatuses.Single(s => s.Name == XComDefaults.SidecarName).State.Terminated is { ExitCode: 0 } ? "stopped" : "running";
    }

    [Fact] // Airflow's test_extract_xcom_success and test_await_xcom_sidecar_container_starts
    public async Task AValidResultIsReturnedAsWrittenAndTheSidecarIsStopped()
    {
        var (manager, name) = await XComPodAsync("echo '{\"a\": [1, 2]}' > /airflow/xcom/return.json");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);

        var result = await manager.ExtractXComAsync("default", name, CancellationToken.None);

        Assert.Equal("{\"a\": [1, 2]}", result.Json);
        Assert.Empty(result.Warnings);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
        var pod = await manager.ReadPodAsync("default", name, CancellationToken.None);
        Assert.Equal("Succeeded", pod.Status.Phase);
    }

    [Fact] // Airflow's test_extract_xcom_failure
    public async Task InvalidJsonIsXComInvalidJsonAndTheSidecarIsStoppedAnyway()
    {
        var (manager, name) = await XComPodAsync("echo 'not json' > /airflow/xcom/return.json");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));

        Assert.Equal("XComInvalidJson", error.ErrorId);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
    }

    [Fact] // Airflow's test_extract_xcom_empty: the empty-result sentinel
    public async Task NoResultFileIsAnEmptyResult()
    {
        var (manager, name) = await XComPodAsync("echo 'no result today'");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Null((await manager.ExtractXComAsync("default", name, CancellationToken.None)).Json);
    }

    [Fact] // Airflow's test_extract_xcom_none: the read itself fails
    public async Task AnUnreadableResultIsXComRetrievalFailed()
    {
        var (manager, name) = await XComPodAsync("mkdir /airflow/xcom/return.json; touch /airflow/xcom/return.json/x");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));
        Assert.Equal("XComRetrievalFailed", error.ErrorId);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
    }

    [Fact] // Airflow's test_extract_xcom_sidecar_terminated and test_await_xcom_sidecar_container_terminated
    public async Task ASidecarThatDiedIsXComSidecarTerminated()
    {
        var (manager, name) = await XComPodAsync("echo '{}' > /airflow/xcom/return.json");
        await manager.AwaitXComSidecarStartAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        await cluster.Server.Admin.TerminateContainerAsync("default", name, XComDefaults.SidecarName, 137, "Error");
        await SidecarStateAfterExtractionAsync(manager, name);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));

        Assert.Equal("XComSidecarTerminated", error.ErrorId);
        Assert.StartsWith("Xcom sidecar container is already terminated!", error.Message, StringComparison.Ordinal);
    }

    [Fact] // issue 10: a finished pod never starts its sidecar, so there is nothing to wait 15 minutes for
    public async Task AFinishedPodWhoseSidecarNeverRanIsXComSidecarTerminatedAtOnce()
    {
        var options = new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "does-not-exist/alpine", XComSidecarStartTimeout = TimeSpan.FromMinutes(5) };
        var (manager, name) = await XComPodAsync("true", options);
        await TestPods.UntilAsync(manager, name, pod => TestPods.StateOf(pod, "base")?.Terminated is not null);
        await cluster.Server.Admin.EvictPodAsync("default", name, "The node was low on resource: memory.");
        await TestPods.UntilAsync(manager, name, pod => pod.Status?.Phase == "Failed");

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));

        Assert.Equal("XComSidecarTerminated", error.ErrorId);
        Assert.Contains("never ran", error.Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact] // Airflow's test_await_xcom_sidecar_container_timeout
    public async Task ASidecarThatNeverStartsIsXComSidecarTimeout()
    {
        var options = new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "does-not-exist/alpine", XComSidecarStartTimeout = TimeSpan.FromSeconds(2) };
        var (manager, name) = await XComPodAsync("true", options);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));
        Assert.Equal("XComSidecarTimeout", error.ErrorId);
        Assert.Contains("did not start within", error.Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task APodWithoutTheSidecarIsXComNotFound()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", created.Name, CancellationToken.None));
        Assert.Equal("XComNotFound", error.ErrorId);
    }

    [Fact]
    public async Task AFailedStopOfTheSidecarIsAWarningNotAFailure()
    {
        var manager = cluster.NewManager();
        var warning = await manager.TryExtractXComKillAsync("default", "pod-that-is-gone");
        Assert.NotNull(warning);
        Assert.Contains("Could not stop the XCom sidecar", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTerminationMessageModeReadsJsonWithoutASidecar()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("echo '{\"ok\": true}' > /dev/termination-log"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("{\"ok\": true}", (await manager.ReadXComFromTerminationMessageAsync("default", created.Name, CancellationToken.None)).Json);
    }

    private static PodDescription Spec(string script, string? name = null) => PodDescription.FromBuildOptions(TestPods.Shell(script, name) with { Namespace = "default" });

    [Fact] // issue 10: a sidecar that died before the read is an error with its state, never a silent Failed without a result
    public async Task ARunWhoseSidecarDiedBeforeTheReadIsXComSidecarTerminated()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName("oom");
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = manager.RunPodAsync(new PodRunRequest
        {
            Pod = Spec($"echo '{{\"n\": 1}}' > /airflow/xcom/return.json; {TestPods.AwaitRelease("/airflow/xcom/go")}", name),
            XCom = true,
            OnStateChange = pod => { if (pod.Phase == PodPhase.Running) { running.TrySetResult(); } },
        }, CancellationToken.None);

        // Both containers run (the base waits for its go), so the sidecar dies before the base has finished.
        await running.Task.WaitAsync(TestPods.Generous);
        await cluster.Server.Admin.TerminateContainerAsync("default", name, XComDefaults.SidecarName, 137, "OOMKilled");
        await TestPods.UntilAsync(manager, name, pod => TestPods.StateOf(pod, XComDefaults.SidecarName)?.Terminated is not null);
        await TestPods.ReleaseAsync(manager, name, "/airflow/xcom/go");
        var outcome = await run;

        Assert.Equal("XComSidecarTerminated", outcome.Failure?.ErrorId);
        Assert.Contains("OOMKilled", outcome.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("137", outcome.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(PodPhase.Failed, outcome.Result.Phase);
        Assert.Equal(0, outcome.Result.ExitCode);
        Assert.Null(outcome.Result.XComJson);
        Assert.True(outcome.Result.Deleted);
    }

    [Fact] // issue 10: the pod stays Pending while the sidecar pulls (kubelet getPhase); the result is read once it runs
    public async Task ASidecarThatPullsSlowlyStillDeliversItsResult()
    {
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "registry.local/slow-pull/alpine:3.19" });
        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("echo '{\"slow\": 1}' > /airflow/xcom/return.json"), XCom = true }, CancellationToken.None);

        Assert.Null(outcome.Failure);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal("{\"slow\": 1}", outcome.Result.XComJson);
    }

    [Fact] // issue 10: reattached while the base has ended and the sidecar still pulls, the run waits for the sidecar and reads
    public async Task AReattachWhileTheSidecarStillPullsWaitsForItAndReadsTheResult()
    {
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "registry.local/slow-pull/alpine:3.19" });
        var key = TestPods.UniqueName("pull");
        var earlier = await manager.CreateOrReattachAsync(Spec("echo '{\"pulled\": 1}' > /airflow/xcom/return.json"), key, xcom: true, CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", earlier.Pod.Name, TestPods.Generous, CancellationToken.None, "base");

        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true"), RunKey = key, XCom = true }, CancellationToken.None);

        Assert.True(outcome.Result.Reattached);
        Assert.Null(outcome.Failure);
        Assert.Equal("{\"pulled\": 1}", outcome.Result.XComJson);
    }

    [Fact] // issue 10: the wait for the sidecar is bounded by the XCom sidecar start timeout, and its end is an error
    public async Task AReattachToAPodWhoseSidecarNeverStartsIsXComSidecarTimeout()
    {
        var options = new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "does-not-exist/alpine", XComSidecarStartTimeout = TimeSpan.FromSeconds(2) };
        var manager = cluster.NewManager(options);
        var key = TestPods.UniqueName("never");
        var earlier = await manager.CreateOrReattachAsync(Spec("true"), key, xcom: true, CancellationToken.None);
        await TestPods.UntilAsync(manager, earlier.Pod.Name, pod => TestPods.StateOf(pod, "base")?.Terminated is not null);

        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true"), RunKey = key, XCom = true }, CancellationToken.None);

        Assert.True(outcome.Result.Reattached);
        Assert.Equal("XComSidecarTimeout", outcome.Failure?.ErrorId);
        Assert.Null(outcome.Result.XComJson);
        Assert.True(outcome.Result.Deleted);
    }

    [Fact] // issue 10: a finished pod whose result was already taken is reattached (its outcome was never reported), and says so
    public async Task AReattachToAFinishedPodWhoseResultWasReadIsXComSidecarTerminated()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("read");
        var earlier = await manager.CreateOrReattachAsync(Spec("echo '{}' > /airflow/xcom/return.json"), key, xcom: true, CancellationToken.None);
        await manager.ReadResultAsync("default", earlier.Pod.Name, fromTerminationMessage: false, TestPods.Generous, CancellationToken.None);
        await TestPods.UntilAsync(manager, earlier.Pod.Name, pod => pod.Status?.Phase == "Succeeded");

        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true"), RunKey = key, XCom = true, FinishAction = OnFinishAction.KeepPod }, CancellationToken.None);

        Assert.True(outcome.Result.Reattached);
        Assert.Equal(earlier.Pod.Name, outcome.Result.Name);
        Assert.Equal("XComSidecarTerminated", outcome.Failure?.ErrorId);
        Assert.Null(outcome.Result.XComJson);
        await manager.DeletePodAsync("default", earlier.Pod.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact] // the runner died before the read: the sidecar still holds the result, and a rerun with the key reads it
    public async Task AReattachToAPodWhoseResultWasNeverReadReadsIt()
    {
        var manager = cluster.NewManager();
        var key = TestPods.UniqueName("unread");
        var earlier = await manager.CreateOrReattachAsync(Spec("echo '{\"kept\": 1}' > /airflow/xcom/return.json"), key, xcom: true, CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", earlier.Pod.Name, TestPods.Generous, CancellationToken.None);

        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = Spec("true"), RunKey = key, XCom = true }, CancellationToken.None);

        Assert.True(outcome.Result.Reattached);
        Assert.Null(outcome.Failure);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal("{\"kept\": 1}", outcome.Result.XComJson);
    }
}
