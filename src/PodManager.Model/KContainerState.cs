namespace PodManager;

/// <summary>One container of a pod: its state, why it is there and how often it restarted.</summary>
public sealed class KContainerState
{
    public required string Name { get; init; }

    public string? Image { get; init; }

    /// <summary>Waiting, Running or Terminated; Unknown before the kubelet reports the container.</summary>
    public required string State { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }

    public int? ExitCode { get; init; }

    public int RestartCount { get; init; }

    public bool Ready { get; init; }

    public bool IsInitContainer { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public override string ToString() => Reason is null ? $"{Name}: {State}" : $"{Name}: {State} ({Reason})";
}
