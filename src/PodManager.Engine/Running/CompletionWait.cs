namespace PodManager.Engine.Running;

/// <summary>How a completion wait runs: its limits, the container it waits for, and where it reports.</summary>
public sealed record CompletionWait
{
    /// <summary>How long the whole wait may take; null waits as long as the pod runs.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long the pod may wait for a node; null is the engine's schedule timeout.</summary>
    public TimeSpan? ScheduleTimeout { get; init; }

    /// <summary>The container whose end completes the wait; null is the pod (or its base container beside sidecars).</summary>
    public string? Container { get; init; }

    public IProgress<KPod>? Progress { get; init; }

    /// <summary>Receives the container's log lines while it runs, each once; null follows no log.</summary>
    public Action<KPodLogLine>? OnLogLine { get; init; }

    public Action<string>? OnWarning { get; init; }
}
