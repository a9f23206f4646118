namespace PodManager;

/// <summary>
/// A pod as PodManager's cmdlets emit it: flat, typed, and carrying its <see cref="Connection"/>,
/// so it pipes into any other PodManager cmdlet without connection parameters.
/// </summary>
public sealed class KPod
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public string? Uid { get; init; }

    public PodPhase Phase { get; init; }

    /// <summary>The STATUS word kubectl would print (Running, Completed, Error, ErrImagePull, Terminating, Init:0/1 ...).</summary>
    public required string Status { get; init; }

    /// <summary>Ready containers over all containers, as kubectl's READY column ("1/2").</summary>
    public required string Ready { get; init; }

    public int Restarts { get; init; }

    /// <summary>The container whose result is the pod's result: <c>base</c> when present, else the first container.</summary>
    public string? BaseContainer { get; init; }

    /// <summary>The exit code of <see cref="BaseContainer"/>, once it has terminated.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The termination message of <see cref="BaseContainer"/>, once it has terminated.</summary>
    public string? TerminationMessage { get; init; }

    /// <summary>The pod-level reason (Evicted, ...), if Kubernetes gave one.</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<KContainerState> Containers { get; init; } = [];

    public IReadOnlyList<KContainerState> InitContainers { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>How long ago the pod was created (kubectl's AGE); the views print it as kubectl does (<see cref="KubeDuration"/>).</summary>
    public TimeSpan? Age => CreationTimestamp is { } created ? DateTimeOffset.UtcNow - created : null;

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }

    public string? Node { get; init; }

    /// <summary>The node the scheduler nominated while preemption makes room there (status.nominatedNodeName), kubectl's NOMINATED NODE.</summary>
    public string? NominatedNode { get; init; }

    public string? PodIP { get; init; }

    /// <summary>The pod's readiness gates whose condition is True, over all of them, as kubectl's READINESS GATES ("1/2"); null when it has none.</summary>
    public string? ReadinessGates { get; init; }

    public string? ResourceVersion { get; init; }

    public required KConnection Connection { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}
