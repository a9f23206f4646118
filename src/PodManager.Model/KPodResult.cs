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

    public override string ToString() => $"{Namespace}/{Name}: {Phase}{(ExitCode is { } code ? $" (exit code {code})" : "")}";
}
