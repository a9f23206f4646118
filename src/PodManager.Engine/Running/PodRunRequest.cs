using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Engine.Running;

/// <summary>One run of the whole operator: the pod, how long each stage may take, and what to do afterwards.</summary>
public sealed record PodRunRequest
{
    public required PodDescription Pod { get; init; }

    /// <summary>Reattach to a live pod of an earlier run with this key instead of creating another.</summary>
    public string? RunKey { get; init; }

    /// <summary>Add the XCom sidecar and read its result once the base container ends.</summary>
    public bool XCom { get; init; }

    /// <summary>The sidecar's image and resources, when not the defaults.</summary>
    public XComSidecarSettings? XComSidecar { get; init; }

    /// <summary>Read the result from the base container's termination message instead (no sidecar).</summary>
    public bool XComFromTerminationMessage { get; init; }

    public TimeSpan? ScheduleTimeout { get; init; }

    public TimeSpan? StartupTimeout { get; init; }

    /// <summary>How long the pod may run once started; null waits as long as it runs.</summary>
    public TimeSpan? Timeout { get; init; }

    public OnFinishAction FinishAction { get; init; } = OnFinishAction.DeletePod;

    /// <summary>How many of the base container's last log lines the result keeps (<see cref="KPodResult.LastLogLines"/>); 0 keeps none.</summary>
    public int LastLogLines { get; init; } = DefaultLastLogLines;

    /// <summary>As many as a failure's diagnosis keeps.</summary>
    public const int DefaultLastLogLines = Diagnosis.PodDiagnoser.LogLines;

    /// <summary>Receives the base container's log lines while the pod runs, each once.</summary>
    public Action<KPodLogLine>? OnLogLine { get; init; }

    /// <summary>Receives the pod's state at each change, for progress reporting.</summary>
    public Action<KPod>? OnStateChange { get; init; }

    public Action<string>? OnWarning { get; init; }
}
