namespace PodManager;

/// <summary>The phase of a pod, as Kubernetes reports it in <c>status.phase</c>.</summary>
public enum PodPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}
