using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Events;

/// <summary>
/// Writes core/v1 events in the shapes the kubelet and the scheduler produce. A repeat of the same event (same
/// object, sub-object, reason, message and source) increases <c>count</c> and <c>lastTimestamp</c> instead of
/// creating a new one, as the client-go event correlator does.
/// </summary>
internal sealed class EventRecorder(ClusterState cluster, string nodeName)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly ConcurrentDictionary<string, ObjectKey> seen = new();

    /// <summary>An event from the kubelet about a pod, or one of its containers when <paramref name="fieldPath"/> is set.</summary>
    public void Kubelet(V1Pod pod, string? fieldPath, string type, string reason, string message)
    {
        var now = Timestamps.Seconds(cluster.Time);
        var key = string.Join('\u0001', pod.Metadata.Uid, fieldPath, type, reason, message);
        if (seen.TryGetValue(key, out var existing) && cluster.Events.Mutate(existing, e =>
            {
                e.Count = (e.Count ?? 1) + 1;
                e.LastTimestamp = now;
                return true;
            }) is not null)
        {
            return;
        }

        var created = Create(pod, e =>
        {
            e.InvolvedObject.FieldPath = fieldPath;
            e.Type = type;
            e.Reason = reason;
            e.Message = message;
            e.Source = new V1EventSource { Component = "kubelet", Host = nodeName };
            e.FirstTimestamp = now;
            e.LastTimestamp = now;
            e.Count = 1;
            e.ReportingComponent = "kubelet";
            e.ReportingInstance = nodeName;
        });
        seen[key] = created;
    }

    /// <summary>An event from the scheduler, written through events.k8s.io as the scheduler does: eventTime, no timestamps.</summary>
    public void Scheduler(V1Pod pod, string type, string reason, string action, string message) =>
        Create(pod, e =>
        {
            e.Type = type;
            e.Reason = reason;
            e.Action = action;
            e.Message = message;
            e.Source = new V1EventSource();
            e.EventTime = Timestamps.Micro(cluster.Time);
            e.ReportingComponent = "default-scheduler";
            e.ReportingInstance = $"default-scheduler-{nodeName}";
        });

    private ObjectKey Create(V1Pod pod, Action<Corev1Event> fill)
    {
        var nanos = (cluster.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        while (true)
        {
            var item = new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{pod.Metadata.Name}.{nanos.ToString("x", CultureInfo.InvariantCulture)}",
                    NamespaceProperty = pod.Metadata.NamespaceProperty,
                    Uid = Guid.NewGuid().ToString(),
                    CreationTimestamp = Timestamps.Seconds(cluster.Time),
                },
                InvolvedObject = new V1ObjectReference
                {
                    Kind = "Pod",
                    NamespaceProperty = pod.Metadata.NamespaceProperty,
                    Name = pod.Metadata.Name,
                    Uid = pod.Metadata.Uid,
                    ApiVersion = "v1",
                    ResourceVersion = pod.Metadata.ResourceVersion,
                },
            };
            fill(item);
            if (cluster.Events.TryCreate(item) is { } stored)
            {
                return stored.Key;
            }

            nanos++;
        }
    }
}
