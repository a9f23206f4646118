using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class PodStatusTextTests
{
    private static V1Pod Pod(string phase, params V1ContainerStatus[] statuses) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = statuses.Select(s => new V1Container { Name = s.Name, Image = "alpine" }).ToList() },
        Status = new V1PodStatus { Phase = phase, ContainerStatuses = statuses.ToList() },
    };

    private static V1ContainerStatus Waiting(string name, string reason) =>
        new() { Name = name, Image = "alpine", ImageID = "", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } } };

    private static V1ContainerStatus Running(string name, bool ready = true) =>
        new() { Name = name, Image = "alpine", ImageID = "", Ready = ready, State = new V1ContainerState { Running = new V1ContainerStateRunning() } };

    private static V1ContainerStatus Terminated(string name, int code, string? reason) =>
        new() { Name = name, Image = "alpine", ImageID = "", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = code, Reason = reason } } };

    [Fact]
    public void WaitingReasonWins() => Assert.Equal("ErrImagePull", PodStatusText.Status(Pod("Pending", Waiting("base", "ErrImagePull"))));

    [Fact]
    public void TerminatedReasons()
    {
        Assert.Equal("Completed", PodStatusText.Status(Pod("Succeeded", Terminated("base", 0, "Completed"))));
        Assert.Equal("Error", PodStatusText.Status(Pod("Failed", Terminated("base", 3, "Error"))));
        Assert.Equal("ExitCode:3", PodStatusText.Status(Pod("Failed", Terminated("base", 3, null))));
    }

    [Fact]
    public void RunningPodShowsPhaseAndReadyCount()
    {
        var pod = Pod("Running", Running("base"), Running("side", ready: false));
        Assert.Equal("Running", PodStatusText.Status(pod));
        Assert.Equal("1/2", PodStatusText.Ready(pod));
    }

    [Fact]
    public void CompletedWithARunningSidecarIsNotReadyWithoutTheReadyCondition()
    {
        var pod = Pod("Running", Terminated("base", 0, "Completed"), Running("side"));
        Assert.Equal("NotReady", PodStatusText.Status(pod));
        pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
        Assert.Equal("Running", PodStatusText.Status(pod));
    }

    [Fact]
    public void DeletingALivePodIsTerminatingButAFinishedOneKeepsItsStatus()
    {
        var live = Pod("Running", Running("base"));
        live.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.Equal("Terminating", PodStatusText.Status(live));
        var done = Pod("Succeeded", Terminated("base", 0, "Completed"));
        done.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.Equal("Completed", PodStatusText.Status(done));
    }

    [Fact]
    public void InitContainersShowProgress()
    {
        var pod = Pod("Pending", Waiting("base", "PodInitializing"));
        pod.Spec.InitContainers = [new V1Container { Name = "init1" }, new V1Container { Name = "init2" }];
        pod.Status.InitContainerStatuses = [Terminated("init1", 0, "Completed"), Running("init2")];
        Assert.Equal("Init:1/2", PodStatusText.Status(pod));
        pod.Status.InitContainerStatuses = [Terminated("init1", 1, "Error"), Waiting("init2", "PodInitializing")];
        Assert.Equal("Init:Error", PodStatusText.Status(pod));
        pod.Status.InitContainerStatuses = [Waiting("init1", "CrashLoopBackOff"), Waiting("init2", "PodInitializing")];
        Assert.Equal("Init:CrashLoopBackOff", PodStatusText.Status(pod));
    }

    [Fact]
    public void PodReasonSuchAsEvictedIsTheStatus()
    {
        var pod = Pod("Failed", Terminated("base", 137, null));
        pod.Status.Reason = "Evicted";
        pod.Status.ContainerStatuses = [];
        Assert.Equal("Evicted", PodStatusText.Status(pod));
    }
}
