using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Kubelet;

/// <summary>One run of a container: its runtime ID and its log.</summary>
internal sealed record ContainerRun(string ContainerId, LogFile Log);

/// <summary>
/// The kubelet's view of one container across its runs: the state that becomes its container status, and the log
/// of every run (for <c>previous</c>). Mutated only under the owning <see cref="PodWorker"/>'s lock.
/// </summary>
internal sealed class ContainerRecord(V1Container spec, ContainerRole role, string image, string initialReason)
{
    public V1Container Spec { get; } = spec;

    public ContainerRole Role { get; } = role;

    public string FieldPath => Role == ContainerRole.Regular ? $"spec.containers{{{Spec.Name}}}" : $"spec.initContainers{{{Spec.Name}}}";

    public V1ContainerState State { get; set; } = Waiting(initialReason);

    public V1ContainerStateTerminated? LastTerminated { get; set; }

    public int RestartCount { get; set; }

    public bool Ready { get; set; }

    public bool Started { get; set; }

    public string? ContainerId { get; set; }

    public string Image { get; set; } = image;

    public string ImageId { get; set; } = string.Empty;

    /// <summary>Every run, oldest first; the index is the restart count it ran with.</summary>
    public List<ContainerRun> Runs { get; } = [];

    public bool HasTerminated => State.Terminated is not null;

    /// <summary>Keeps the current terminated state as <c>lastState</c>, as a restart does.</summary>
    public void MoveToLastState()
    {
        if (State.Terminated is { } terminated)
        {
            LastTerminated = terminated;
        }
    }

    public V1ContainerStatus ToStatus() => new()
    {
        Name = Spec.Name,
        State = State,
        LastState = LastTerminated is null ? new V1ContainerState() : new V1ContainerState { Terminated = LastTerminated },
        Ready = Ready,
        RestartCount = RestartCount,
        Image = Image,
        ImageID = ImageId,
        ContainerID = ContainerId,
        Started = Started,
    };

    public static V1ContainerState Waiting(string reason, string? message = null) =>
        new() { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };
}
