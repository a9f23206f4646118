using k8s.Models;

namespace PodManager.Engine.Events;

internal static class KPodEventConverter
{
    public static KPodEvent ToKPodEvent(Corev1Event e)
    {
        var source = e.Source?.Component ?? e.ReportingComponent;
        var host = e.Source?.Host ?? e.ReportingInstance;
        return new KPodEvent
        {
            Pod = e.InvolvedObject?.Name ?? "",
            Namespace = e.InvolvedObject?.NamespaceProperty ?? e.Metadata?.NamespaceProperty ?? "",
            Type = e.Type ?? "Normal",
            Reason = e.Reason ?? "",
            Message = e.Message ?? "",
            Source = string.IsNullOrEmpty(host) ? source : $"{source}, {host}",
            FieldPath = e.InvolvedObject?.FieldPath,
            Count = e.Count ?? e.Series?.Count ?? 1,
            FirstSeen = Utc(e.FirstTimestamp ?? e.EventTime),
            LastSeen = Utc(e.LastTimestamp ?? e.Series?.LastObservedTime ?? e.EventTime ?? e.FirstTimestamp),
            Name = e.Metadata?.Name,
        };
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } time
            ? new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : null;
}
