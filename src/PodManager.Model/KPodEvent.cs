namespace PodManager;

/// <summary>A Kubernetes event about a pod, as <c>kubectl get events</c> shows it.</summary>
public sealed class KPodEvent
{
    public required string Pod { get; init; }

    public required string Namespace { get; init; }

    /// <summary>Normal or Warning.</summary>
    public required string Type { get; init; }

    public required string Reason { get; init; }

    public required string Message { get; init; }

    /// <summary>Who reported it: kubelet, default-scheduler ... with the host when known.</summary>
    public string? Source { get; init; }

    /// <summary>The part of the pod it is about, e.g. <c>spec.containers{base}</c>.</summary>
    public string? FieldPath { get; init; }

    public int Count { get; init; }

    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The event object's own name; unique per event.</summary>
    public string? Name { get; init; }

    public override string ToString() => Count > 1 ? $"{Type} {Reason} (x{Count}): {Message}" : $"{Type} {Reason}: {Message}";
}
