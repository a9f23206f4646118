using k8s.Models;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class FinishActionTests
{
    private static V1Pod Pod(string phase, int? baseExit = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "base" }, new V1Container { Name = "sidecar" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = baseExit is { } code
                ? [new V1ContainerStatus { Name = "base", Image = "i", ImageID = "", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = code } } }]
                : [],
        },
    };

    [Theory] // the operator's process_pod_deletion table
    [InlineData(OnFinishAction.KeepPod, "Succeeded", null, false)]
    [InlineData(OnFinishAction.KeepPod, "Running", null, false)]
    [InlineData(OnFinishAction.DeletePod, "Failed", null, true)]
    [InlineData(OnFinishAction.DeletePod, "Pending", null, true)]
    [InlineData(OnFinishAction.DeleteSucceededPod, "Succeeded", null, true)]
    [InlineData(OnFinishAction.DeleteSucceededPod, "Failed", null, false)]
    [InlineData(OnFinishAction.DeleteSucceededPod, "Running", 0, true)]
    [InlineData(OnFinishAction.DeleteSucceededPod, "Running", 1, false)]
    [InlineData(OnFinishAction.DeleteActivePod, "Pending", null, true)]
    [InlineData(OnFinishAction.DeleteActivePod, "Running", null, true)]
    [InlineData(OnFinishAction.DeleteActivePod, "Succeeded", null, false)]
    [InlineData(OnFinishAction.DeleteActivePod, "Failed", null, false)]
    public void TheActionDecidesOnTheStateItIsGiven(OnFinishAction action, string phase, int? baseExit, bool delete) =>
        Assert.Equal(delete, PodManager.ShouldDelete(Pod(phase, baseExit), action));
}
