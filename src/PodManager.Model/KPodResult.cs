namespace PodManager;

/// <summary>What one pod run produced (Invoke-KPod): its final state, exit code, result and diagnosis.</summary>
public sealed class KPodResult
{
    public required KPod Pod { get; init; }

    public string Name => Pod.Name;

    public string Namespace => Pod.Namespace;

    public PodPhase Phase { get; init; }

    /// <summary>The base container's exit code; null when it never ran.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The pod's result, parsed like ConvertFrom-Json (a hashtable with -AsHashtable); null for an empty result.</summary>
    public object? XCom { get; set; }

    /// <summary>The result as the pod wrote it: JSON text, or null when it wrote none.</summary>
    public string? XComJson { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Why the pod failed; null when it succeeded.</summary>
    public KPodDiagnosis? Diagnosis { get; init; }

    /// <summary>True when the run picked up a pod from an earlier run with the same run key instead of creating one.</summary>
    public bool Reattached { get; init; }

    /// <summary>True when the finish action deleted the pod.</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// The last lines of the base container's log (Invoke-KPod -LastLogLines, 20 by default), read before the finish
    /// action, so a runbook can print them after the pod is gone; empty when the container wrote nothing or never ran.
    /// </summary>
    public IReadOnlyList<string> LastLogLines { get; init; } = [];

    /// <summary>Which input of the Invoke-KPod call this run came from: 0 for the first pod spec piped or given, 1 for the next ...</summary>
    public int InputIndex { get; set; }

    /// <summary>The label Invoke-KPod -Tag gave the input (bound by property name), else the -Name it gave; null when it gave neither.</summary>
    public string? Tag { get; set; }

    public override string ToString() => $"{Namespace}/{Name}: {Phase}{(ExitCode is { } code ? $" (exit code {code})" : "")}";
}
