using k8s.Models;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Kubelet;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Scheduler;

/// <summary>
/// Binds pending pods to the node when their requests fit its allocatable CPU, memory and pod count and their
/// nodeSelector matches its labels; otherwise marks them Unschedulable with the scheduler's message and event.
/// Pods waiting for room are retried whenever a pod leaves the node or finishes.
/// </summary>
internal sealed class Scheduler : IAsyncDisposable
{
    private readonly ClusterState cluster;
    private readonly NodeIdentity node;
    private readonly EventRecorder events;
    private readonly Dictionary<ObjectKey, string> lastFailure = [];
    private readonly CancellationTokenSource shutdown = new();
    private Task loop = Task.CompletedTask;

    public Scheduler(ClusterState cluster, NodeIdentity node, EventRecorder events)
    {
        this.cluster = cluster;
        this.node = node;
        this.events = events;
    }

    public void Start()
    {
        var watch = cluster.Pods.Watch(null, null, int.MaxValue);
        loop = Task.Run(() => RunAsync(watch, shutdown.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await shutdown.CancelAsync();
        await loop;
    }

    private async Task RunAsync(WatchSubscription<V1Pod> watch, CancellationToken cancellationToken)
    {
        using (watch)
        {
            try
            {
                while (await watch.Events.WaitToReadAsync(cancellationToken))
                {
                    var relevant = false;
                    while (watch.Events.TryRead(out var change))
                    {
                        relevant |= change.Type == StoreEventType.Deleted || NeedsScheduling(change.Object.Value) || FreedCapacity(change);
                    }

                    if (relevant)
                    {
                        ScheduleAll();
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The cluster is stopping.
            }
        }
    }

    private void ScheduleAll()
    {
        var pods = cluster.Pods.List(null).Items;
        var usage = NodeUsage.Of(pods.Select(p => p.Value).Where(p => p.Spec.NodeName == node.Name && p.Status?.Phase is not ("Succeeded" or "Failed")));
        foreach (var pending in pods.Where(p => NeedsScheduling(p.Value)).OrderBy(p => p.Value.Metadata.CreationTimestamp).ThenBy(p => p.ResourceVersion))
        {
            var request = NodeUsage.Of([pending.Value]);
            var failure = Fits(pending.Value, usage, request);
            if (failure is null)
            {
                Bind(pending);
                usage += request;
            }
            else
            {
                MarkUnschedulable(pending, failure);
            }
        }

        foreach (var gone in lastFailure.Keys.Where(k => cluster.Pods.Get(k) is null).ToList())
        {
            lastFailure.Remove(gone);
        }
    }

    /// <summary>Null when the pod fits next to <paramref name="used"/>, else the scheduler's reasons, e.g. <c>1 Insufficient cpu</c>.</summary>
    private string? Fits(V1Pod pod, NodeUsage used, NodeUsage request)
    {
        if (!LabelSelector.FromMatchLabels(pod.Spec.NodeSelector).Matches(node.Labels))
        {
            return "1 node(s) didn't match Pod's node affinity/selector";
        }

        var reasons = new List<string>();
        if (used.Pods + request.Pods > node.Pods)
        {
            reasons.Add("1 Too many pods");
        }

        if (used.Cpu + request.Cpu > node.Cpu)
        {
            reasons.Add("1 Insufficient cpu");
        }

        if (used.Memory + request.Memory > node.MemoryBytes)
        {
            reasons.Add("1 Insufficient memory");
        }

        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }

    private void Bind(StoredObject<V1Pod> pending)
    {
        var now = Timestamps.Seconds(cluster.Time);
        var bound = cluster.Pods.Mutate(pending.Key, pod =>
        {
            if (pod.Metadata.Uid != pending.Uid || !NeedsScheduling(pod))
            {
                return false;
            }

            pod.Spec.NodeName = node.Name;
            SetScheduledCondition(pod, new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now });
            return true;
        });
        lastFailure.Remove(pending.Key);
        if (bound?.Value.Spec.NodeName == node.Name)
        {
            events.Scheduler(bound.Value, EventRecorder.Normal, "Scheduled", "Binding", $"Successfully assigned {pending.Key.Namespace}/{pending.Key.Name} to {node.Name}");
        }
    }

    private void MarkUnschedulable(StoredObject<V1Pod> pending, string reasons)
    {
        var preemption = reasons.Contains("Insufficient", StringComparison.Ordinal) || reasons.Contains("Too many pods", StringComparison.Ordinal)
            ? "1 No preemption victims found for incoming pod."
            : "1 Preemption is not helpful for scheduling.";
        var message = $"0/1 nodes are available: {reasons}. preemption: 0/1 nodes are available: {preemption}";
        if (lastFailure.GetValueOrDefault(pending.Key) == message)
        {
            return;
        }

        lastFailure[pending.Key] = message;
        var now = Timestamps.Seconds(cluster.Time);
        var updated = cluster.Pods.Mutate(pending.Key, pod =>
        {
            if (pod.Metadata.Uid != pending.Uid)
            {
                return false;
            }

            SetScheduledCondition(pod, new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message, LastTransitionTime = now });
            return true;
        });
        if (updated is not null)
        {
            events.Scheduler(updated.Value, EventRecorder.Warning, "FailedScheduling", "Scheduling", message);
        }
    }

    private static void SetScheduledCondition(V1Pod pod, V1PodCondition condition)
    {
        pod.Status ??= new V1PodStatus();
        var conditions = pod.Status.Conditions?.Where(c => c.Type != "PodScheduled").ToList() ?? [];
        conditions.Add(condition);
        pod.Status.Conditions = conditions;
    }

    private static bool NeedsScheduling(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec.NodeName) && pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is null or "Pending";

    private static bool FreedCapacity(StoreEvent<V1Pod> change) =>
        change.Object.Value.Status?.Phase is "Succeeded" or "Failed" && change.Previous?.Value.Status?.Phase is not ("Succeeded" or "Failed");
}
