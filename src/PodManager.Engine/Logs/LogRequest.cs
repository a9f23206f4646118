namespace PodManager.Engine.Logs;

/// <summary>What part of a container's log to read; mirrors the API's PodLogOptions plus since-time.</summary>
public sealed record LogRequest
{
    /// <summary>The container; null means the pod's base container (or its only one).</summary>
    public string? Container { get; init; }

    /// <summary>Keep streaming until the container terminates, resuming after cuts without losing or repeating a line.</summary>
    public bool Follow { get; init; }

    public DateTimeOffset? SinceTime { get; init; }

    public TimeSpan? Since { get; init; }

    public int? TailLines { get; init; }

    public long? LimitBytes { get; init; }

    public bool Previous { get; init; }

    /// <summary>Lines print with their timestamp first (every line carries its timestamp either way).</summary>
    public bool Timestamps { get; init; }
}
