using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class DiagnosisTests(FastBackOffClusterFixture cluster) : IClassFixture<FastBackOffClusterFixture>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private async Task<PodManagerException> LaunchFailureAsync(V1Pod pod, TimeSpan? schedule = null, PodManagerOptions? options = null)
    {
        var manager = cluster.NewManager(options);
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);
        try
        {
            return await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodStartAsync("default", created.Metadata.Name, schedule ?? Minute, Minute, CancellationToken.None));
        }
        finally
        {
            await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
        }
    }

    private static V1Pod Shell(string script, string image = "alpine") => PodFactory.Build(TestPods.Shell(script) with { Image = image }, "default");

    [Fact]
    public async Task AnImageThatDoesNotExistFailsFastWithTheEventsThatSaySo()
    {
        var error = await LaunchFailureAsync(Shell("true", "registry.example/does-not-exist:1"));
        Assert.Equal("PodLaunchFailed", error.ErrorId);
        var diagnosis = error.Diagnosis!;
        Assert.Contains(diagnosis.Reason, new[] { "ErrImagePull", "ImagePullBackOff" });
        Assert.Equal("base", diagnosis.Container);
        Assert.Contains("does-not-exist", diagnosis.Message, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Warnings, w => w.Reason == "Failed" && w.Message.Contains("Failed to pull image", StringComparison.Ordinal));
        Assert.Equal(diagnosis.Pod, error.Pod!.Name);
        Assert.Contains("Image cannot be pulled, unable to start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDiagnosisSaysWhatToDo()
    {
        var error = await LaunchFailureAsync(Shell("true", "Not A Valid Image"));
        Assert.Equal("Check the image name and tag, and the registry credentials (imagePullSecrets).", error.Diagnosis!.RecommendedAction);
    }

    [Fact]
    public async Task AnInvalidReferenceFailsAsInvalidImageName()
    {
        var error = await LaunchFailureAsync(Shell("true", "Not A Valid Image"));
        Assert.Equal("InvalidImageName", error.Diagnosis!.Reason);
    }

    [Fact]
    public async Task AnImageThatMayNeverBePulledFailsAsErrImageNeverPull()
    {
        var pod = Shell("true", "registry.example/never-pulled:1.0");
        pod.Spec.Containers[0].ImagePullPolicy = "Never";
        Assert.Equal("ErrImageNeverPull", (await LaunchFailureAsync(pod)).Diagnosis!.Reason);
    }

    [Fact]
    public async Task ARateLimitedPullIsWaitedOutAndThePodStarts()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(Shell("echo pulled at last", "registry.example/rate-limited/app:1"), CancellationToken.None);
        var started = await manager.AwaitPodStartAsync("default", created.Metadata.Name, Minute, Minute, CancellationToken.None);
        Assert.NotEqual("Pending", started.Status.Phase);
        var events = await manager.ReadPodEventsAsync("default", created.Metadata.Name, CancellationToken.None);
        Assert.Contains(events, e => e.Type == "Warning" && e.Message.Contains("toomanyrequests", StringComparison.Ordinal));
    }

    [Fact] // a crashing container leaves Pending, so it is the completion wait that recognises the loop
    public async Task ACrashLoopFailsFastWithTheExitCodeAndTheLastLinesOfTheLastRun()
    {
        var script = "for i in $(seq 1 30); do echo \"progress $i\"; done; echo 'fatal: cannot open /data' >&2; exit 3";
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(PodFactory.Build(TestPods.Shell(script) with { RestartPolicy = "Always" }, "default"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodCompletionAsync("default", created.Metadata.Name, Minute, CancellationToken.None));
        await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
        var diagnosis = error.Diagnosis!;
        Assert.Equal("PodLaunchFailed", error.ErrorId);
        Assert.Equal("CrashLoopBackOff", diagnosis.Reason);
        Assert.Equal(3, diagnosis.ExitCode);
        Assert.Equal(20, diagnosis.LastLogLines.Count);
        Assert.Equal("fatal: cannot open /data", diagnosis.LastLogLines[^1]);
        Assert.Equal("progress 12", diagnosis.LastLogLines[0]);
        Assert.Contains(diagnosis.Warnings, w => w.Reason == "BackOff");
    }

    [Fact]
    public async Task AMissingConfigMapFailsAfterTheGraceAsCreateContainerConfigError()
    {
        var pod = Shell("true");
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "SETTING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent-settings", Key = "level" } } }];
        var error = await LaunchFailureAsync(pod, options: new PodManagerOptions { Retry = ClusterFixture.FastRetry, ConfigErrorGrace = TimeSpan.FromSeconds(1) });
        Assert.Equal("CreateContainerConfigError", error.Diagnosis!.Reason);
        Assert.Contains("absent-settings", error.Diagnosis.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedInitContainerFailsTheLaunchWithItsExitCodeAndLog()
    {
        var pod = Shell("echo never runs");
        pod.Spec.InitContainers = [new V1Container { Name = "migrate", Image = "alpine", Command = ["sh", "-c", "echo migrating; echo 'schema locked' >&2; exit 2"] }];
        var error = await LaunchFailureAsync(pod);
        var diagnosis = error.Diagnosis!;
        Assert.Equal("InitContainerFailed", diagnosis.Reason);
        Assert.Equal("migrate", diagnosis.Container);
        Assert.Equal(2, diagnosis.ExitCode);
        Assert.Equal(["migrating", "schema locked"], diagnosis.LastLogLines);
    }

    [Fact] // Airflow's test_start_pod_raises_informative_error_on_scheduled_timeout, and the scheduler's own words
    public async Task AnUnschedulablePodFailsAtTheScheduleTimeoutWithTheSchedulersMessage()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(PodFactory.Build(TestPods.Shell("true") with { CpuRequest = "64" }, "default"), CancellationToken.None);
        try
        {
            // The scheduler's verdict first, so the schedule timeout cannot come before it however loaded the machine.
            await TestPods.UntilAsync(manager, created.Metadata.Name, TestPods.IsUnschedulable);

            var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodStartAsync("default", created.Metadata.Name, TimeSpan.FromSeconds(1), Minute, CancellationToken.None));
            TestPods.AssertScheduleTimedOut(error, "0/1 nodes are available: 1 Insufficient cpu.");
        }
        finally
        {
            await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
        }
    }

    [Fact] // Airflow's test_start_pod_raises_informative_error_on_startup_timeout
    public async Task AScheduledPodThatDoesNotStartInTimeIsAStartupTimeout()
    {
        // A ConfigMap volume that does not exist keeps the scheduled pod in ContainerCreating for good (FailedMount), so
        // the pod cannot start before the timeout, whatever the load.
        var manager = cluster.NewManager();
        var pod = Shell("true");
        pod.Spec.Volumes = [new V1Volume { Name = "settings", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent-volume-settings" } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "settings", MountPath = "/etc/settings" }];
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);
        try
        {
            var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodStartAsync("default", created.Metadata.Name, Minute, TimeSpan.Zero, CancellationToken.None));
            Assert.Equal("PodLaunchTimeout", error.ErrorId);
            Assert.StartsWith("Pod took too long to start. More than 0s.", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AnOomKillAfterTheStartIsNamedInThePodFailure()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(Shell("echo allocating; sleep 60"), CancellationToken.None);
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, new Logs.LogRequest { Follow = true }, CancellationToken.None))
        {
            break;
        }

        await cluster.Server.Admin.TerminateContainerAsync("default", created.Metadata.Name, "base", 137, "OOMKilled");
        var done = await manager.AwaitPodCompletionAsync("default", created.Metadata.Name, Minute, CancellationToken.None);
        var failure = await manager.PodFailedAsync(done, CancellationToken.None);
        Assert.Equal("PodFailed", failure.ErrorId);
        Assert.Equal("OOMKilled", failure.Diagnosis!.Reason);
        Assert.Equal(137, failure.Diagnosis.ExitCode);
        Assert.Contains("more memory than its limit", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["allocating"], failure.Diagnosis.LastLogLines);
    }

    [Fact]
    public async Task AnEvictionIsNamedInThePodFailure()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(Shell("sleep 60"), CancellationToken.None);
        await manager.AwaitPodStartAsync("default", created.Metadata.Name, Minute, Minute, CancellationToken.None);
        await cluster.Server.Admin.EvictPodAsync("default", created.Metadata.Name, "The node was low on resource: memory.");
        var done = await manager.AwaitPodCompletionAsync("default", created.Metadata.Name, Minute, CancellationToken.None);
        var failure = await manager.PodFailedAsync(done, CancellationToken.None);
        Assert.Equal("Evicted", failure.Diagnosis!.Reason);
        Assert.Contains("low on resource", failure.Diagnosis.Message, StringComparison.Ordinal);
        Assert.Equal(PodPhase.Failed, failure.Pod!.Phase);
    }

    [Fact]
    public async Task AnExceededActiveDeadlineIsNamedInThePodFailure()
    {
        var manager = cluster.NewManager();
        var pod = Shell("trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done");
        pod.Spec.ActiveDeadlineSeconds = 1;
        pod.Spec.TerminationGracePeriodSeconds = 2;
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);
        var done = await manager.AwaitPodCompletionAsync("default", created.Metadata.Name, Minute, CancellationToken.None);
        var failure = await manager.PodFailedAsync(done, CancellationToken.None);
        Assert.Equal("DeadlineExceeded", failure.Diagnosis!.Reason);
        Assert.Equal("Pod was active on the node longer than the specified deadline", failure.Diagnosis.Message);
        Assert.Equal(PodPhase.Failed, failure.Pod!.Phase);
    }

    [Fact] // Airflow's test_await_pod_completion_breaks_on_early_termination_issue: a completion wait does not hang on a pod that can never start
    public async Task ACompletionWaitOnAnImageThatNeverPullsFailsInsteadOfHanging()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(Shell("true", "does-not-exist/app"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodCompletionAsync("default", created.Metadata.Name, null, CancellationToken.None));
        Assert.Equal("PodLaunchFailed", error.ErrorId);
    }
}
