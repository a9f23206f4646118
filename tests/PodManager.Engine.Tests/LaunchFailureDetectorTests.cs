using k8s.Models;
using PodManager.Engine.Diagnosis;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LaunchFailureDetectorTests
{
    private static V1Pod Waiting(string reason, string? message, bool init = false, string restartPolicy = "Never")
    {
        var status = new V1ContainerStatus
        {
            Name = "base",
            Image = "img",
            ImageID = "",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
        };
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
            Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "base" }] },
            Status = new V1PodStatus
            {
                Phase = "Pending",
                ContainerStatuses = init ? [] : [status],
                InitContainerStatuses = init ? [status] : [],
            },
        };
    }

    [Theory] // Airflow's test_detect_pod_terminate_early_issues_returns_none_for_transient_messages: transient pull failures keep the wait going
    [InlineData("ErrImagePull", "rpc error: code = Unknown desc = failed to pull and unpack image: 502 Bad Gateway")]
    [InlineData("ErrImagePull", "rpc error: code = Unknown desc = 503 Service Unavailable")]
    [InlineData("ErrImagePull", "rpc error: code = Unknown desc = 504 Gateway Timeout")]
    [InlineData("ImagePullBackOff", "Back-off pulling image \"nginx\": 502 Bad Gateway")]
    [InlineData("ErrImagePull", "toomanyrequests: too many requests")]
    [InlineData("ErrImagePull", "pull QPS exceeded")]
    [InlineData("ErrImagePull", "toomanyrequests: rate limit exceeded")]
    public void TransientPullMessagesAreNotFatal(string reason, string message) =>
        Assert.Null(LaunchFailureDetector.Detect(Waiting(reason, message)));

    [Theory] // Airflow's test_detect_pod_terminate_early_issues_returns_error_for_fatal_messages: fatal ones carry the reason and the message
    [InlineData("InvalidImageName", "couldn't parse image reference \"UPPER\"")]
    [InlineData("ErrImageNeverPull", "Container image \"x\" is not present with pull policy of Never")]
    [InlineData("ErrImagePull", "manifest unknown")]
    [InlineData("ImagePullBackOff", "unauthorized: authentication required")]
    [InlineData("ImagePullBackOff", "Back-off pulling image \"nonexistent:latest\"")]
    public void FatalImageErrorsNameReasonAndMessage(string reason, string message)
    {
        var finding = LaunchFailureDetector.Detect(Waiting(reason, message));
        Assert.NotNull(finding);
        Assert.Equal(reason, finding.Reason);
        Assert.Contains(message, finding.Message, StringComparison.Ordinal);
        Assert.Equal("base", finding.Container);
    }

    [Theory] // Airflow's test_start_pod_raises_fast_error_on_image_error, with Airflow's wording, which it also gives the fatal image reasons
    [InlineData("ErrImagePull")]
    [InlineData("ImagePullBackOff")]
    [InlineData("InvalidImageName")]
    [InlineData("ErrImageNeverPull")]
    public void PullFailuresUseAirflowsMessage(string reason) =>
        Assert.Equal($"Image cannot be pulled, unable to start: {reason}\nTest error", LaunchFailureDetector.Detect(Waiting(reason, "Test error"))!.Message);

    [Fact]
    public void ABareBackOffAfterATransientPullErrorKeepsWaiting()
    {
        var lastPullErrors = new Dictionary<string, string> { ["base"] = "toomanyrequests: rate limit exceeded" };
        Assert.Null(LaunchFailureDetector.Detect(Waiting("ImagePullBackOff", "Back-off pulling image \"x\""), lastPullErrors));
    }

    [Theory] // better than Airflow: these never start either
    [InlineData("CrashLoopBackOff")]
    [InlineData("RunContainerError")]
    public void CrashLoopsAndRuntimeErrorsAreFatal(string reason) =>
        Assert.Equal(reason, LaunchFailureDetector.Detect(Waiting(reason, "back-off 10s restarting failed container"))!.Reason);

    [Fact]
    public void ConfigErrorsAreFatalOnlyAfterAGrace()
    {
        var finding = LaunchFailureDetector.Detect(Waiting("CreateContainerConfigError", "configmap \"settings\" not found"));
        Assert.NotNull(finding);
        Assert.True(finding.NeedsGrace);
    }

    [Fact]
    public void InitContainersAreCheckedTooAndAFailedOneIsFatal()
    {
        Assert.Equal("ErrImagePull", LaunchFailureDetector.Detect(Waiting("ErrImagePull", "manifest unknown", init: true))!.Reason);
        var pod = Waiting("PodInitializing", null, init: true);
        pod.Status.InitContainerStatuses[0].State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 2, Reason = "Error", Message = "bad config" } };
        var finding = LaunchFailureDetector.Detect(pod)!;
        Assert.Equal("InitContainerFailed", finding.Reason);
        Assert.Equal(2, finding.ExitCode);
        Assert.Equal("bad config", finding.TerminationMessage);
    }

    [Theory]
    [InlineData("ContainerCreating")]
    [InlineData("PodInitializing")]
    public void OrdinaryWaitingIsNotAFailure(string reason) =>
        Assert.Null(LaunchFailureDetector.Detect(Waiting(reason, null)));

    [Fact]
    public async Task TheGuardHoldsAConfigErrorForItsGraceThenFails()
    {
        var time = new ManualTime();
        var guard = new LaunchGuard(time, TimeSpan.FromSeconds(10), NoEvents);
        var pod = Waiting("CreateContainerConfigError", "secret \"db\" not found");
        var (finding, recheck) = await guard.CheckAsync(pod, CancellationToken.None);
        Assert.Null(finding);
        Assert.Equal(TimeSpan.FromSeconds(10), recheck);
        time.Advance(TimeSpan.FromSeconds(4));
        (finding, recheck) = await guard.CheckAsync(pod, CancellationToken.None);
        Assert.Null(finding);
        Assert.Equal(TimeSpan.FromSeconds(6), recheck);
        time.Advance(TimeSpan.FromSeconds(6));
        (finding, _) = await guard.CheckAsync(pod, CancellationToken.None);
        Assert.Equal("CreateContainerConfigError", finding!.Reason);
    }

    [Fact] // a wait that begins once the pod already backs off never saw the pull error; the kubelet's event holds it
    public async Task ABareImagePullBackOffIsJudgedByTheContainersLastPullFailureEventReadOnce()
    {
        var reads = 0;
        Task<IReadOnlyList<KPodEvent>> Events(string message)
        {
            reads++;
            return Task.FromResult<IReadOnlyList<KPodEvent>>(
            [
                Event("Failed", "Failed to pull image \"img\": not found", "spec.containers{base}"),
                Event("Failed", message, "spec.containers{base}"),
                Event("Failed", "Failed to pull image \"other\": not found", "spec.containers{other}"),
                Event("Failed", "Error: ErrImagePull", "spec.containers{base}"),
            ]);
        }

        var backingOff = Waiting("ImagePullBackOff", "Back-off pulling image \"img\"");
        var limited = new LaunchGuard(new ManualTime(), TimeSpan.FromSeconds(10), _ => Events("Failed to pull image \"img\": 429 Too Many Requests - Server message: toomanyrequests: rate limit exceeded"));
        var missing = new LaunchGuard(new ManualTime(), TimeSpan.FromSeconds(10), _ => Events("Failed to pull image \"img\": manifest unknown"));

        Assert.Null((await limited.CheckAsync(backingOff, CancellationToken.None)).Finding);
        Assert.Null((await limited.CheckAsync(backingOff, CancellationToken.None)).Finding);
        Assert.Equal("ImagePullBackOff", (await missing.CheckAsync(backingOff, CancellationToken.None)).Finding?.Reason);
        Assert.Equal(2, reads);
    }

    private static Task<IReadOnlyList<KPodEvent>> NoEvents(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<KPodEvent>>([]);

    private static KPodEvent Event(string reason, string message, string fieldPath) =>
        new() { Pod = "p", Namespace = "default", Type = "Warning", Reason = reason, Message = message, FieldPath = fieldPath };
}
