using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>Core v1 events, with the field selectors kubectl describe uses and the columns of kubectl get events.</summary>
internal sealed class EventStrategy(ClusterState cluster) : ResourceStrategy<Corev1Event>(cluster, cluster.Events)
{
    public override ResourceInfo Info { get; } = new(
        "events",
        "event",
        "Event",
        Namespaced: true,
        ResourceInfo.AllVerbs,
        ["ev"],
        [],
        []);

    public override FieldSet<Corev1Event> Fields { get; } = new(new Dictionary<string, Func<Corev1Event, string?>>(MetadataFields())
    {
        ["involvedObject.kind"] = e => e.InvolvedObject?.Kind,
        ["involvedObject.namespace"] = e => e.InvolvedObject?.NamespaceProperty,
        ["involvedObject.name"] = e => e.InvolvedObject?.Name,
        ["involvedObject.uid"] = e => e.InvolvedObject?.Uid,
        ["involvedObject.apiVersion"] = e => e.InvolvedObject?.ApiVersion,
        ["involvedObject.resourceVersion"] = e => e.InvolvedObject?.ResourceVersion,
        ["involvedObject.fieldPath"] = e => e.InvolvedObject?.FieldPath,
        ["reason"] = e => e.Reason,
        ["reportingComponent"] = e => e.ReportingComponent,
        ["source"] = e => e.Source?.Component,
        ["type"] = e => e.Type,
    });

    public override TableConverter<Corev1Event> Table { get; } = new(
        [
            new TableColumn("Last Seen", "string", string.Empty, "The time at which the most recent occurrence of this event was recorded."),
            new TableColumn("Type", "string", string.Empty, "Type of this event (Normal, Warning), new types could be added in the future"),
            new TableColumn("Reason", "string", string.Empty, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new TableColumn("Object", "string", string.Empty, "The object that this event is about."),
            new TableColumn("Subobject", "string", string.Empty, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.", 1),
            new TableColumn("Source", "string", string.Empty, "The component reporting this event. Should be a short machine understandable string.", 1),
            new TableColumn("Message", "string", string.Empty, "A human-readable description of the status of this operation."),
            new TableColumn("First Seen", "string", string.Empty, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
            new TableColumn("Count", "string", string.Empty, "The number of times this event has occurred.", 1),
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 1),
        ],
        Cells);

    /// <summary>printEvent of pkg/printers/internalversion.</summary>
    private static IReadOnlyList<object?> Cells(Corev1Event e, DateTime now)
    {
        var firstSeen = e.FirstTimestamp is null ? HumanDuration.Since(e.EventTime, now) : HumanDuration.Since(e.FirstTimestamp, now);
        var lastSeen = e.LastTimestamp is null ? firstSeen : HumanDuration.Since(e.LastTimestamp, now);
        var count = e.Count is null or 0 ? 1 : e.Count.Value;
        if (e.Series is not null)
        {
            lastSeen = HumanDuration.Since(e.Series.LastObservedTime, now);
            count = e.Series.Count ?? count;
        }

        var involved = e.InvolvedObject;
        var kind = (involved?.Kind ?? string.Empty).ToLowerInvariant();
        var target = string.IsNullOrEmpty(involved?.Name) ? kind : $"{kind}/{involved.Name}";
        return [lastSeen, e.Type, e.Reason, target, involved?.FieldPath, Source(e), e.Message?.Trim(), firstSeen, (long)count, e.Metadata.Name];
    }

    private static string Source(Corev1Event e)
    {
        var component = FirstNonEmpty(e.Source?.Component, e.ReportingComponent);
        var instance = FirstNonEmpty(e.Source?.Host, e.ReportingInstance);
        if (component.Length == 0)
        {
            return "<unknown>";
        }

        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private static string FirstNonEmpty(string? first, string? second) =>
        !string.IsNullOrEmpty(first) ? first : second ?? string.Empty;
}
