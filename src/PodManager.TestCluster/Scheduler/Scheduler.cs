using System.Threading.Channels;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Kubelet;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Scheduler;

/// <summary>
/// Binds pending pods to the node, as kube-scheduler's default profile does for one node: the PreFilter of
/// VolumeBinding (the pod's claims) and NodeAffinity (node names), then the filters in their order, the first that
/// fails deciding: NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required affinity) and
/// NodeResourcesFit (pod slots, cpu, memory, extended resources). A pod that fails stays Pending with
/// <c>PodScheduled=False</c>, reason <c>Unschedulable</c> and a <c>FailedScheduling</c> event, both carrying the
/// scheduler's message (FitError). Pods waiting are tried again, highest priority then oldest first, whenever a pod
/// changes or leaves, the node changes (<c>kubectl label</c>, <c>taint</c>, <c>cordon</c>), or a claim changes.
/// There is no preemption.
/// </summary>
internal sealed class Scheduler : IAsyncDisposable
{
    private const string NotHelpful = "Preemption is not helpful for scheduling";
    private const string NoVictims = "No preemption victims found for incoming pod";

    private readonly ClusterState cluster;
    private readonly NodeIdentity node;
    private readonly EventRecorder events;
    private readonly Dictionary<ObjectKey, string> lastFailure = [];
    private readonly CancellationTokenSource shutdown = new();
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Task loop = Task.CompletedTask;

    public Scheduler(ClusterState cluster, NodeIdentity node, EventRecorder events)
    {
        this.cluster = cluster;
        this.node = node;
        this.events = events;
    }

    public void Start()
    {
        var token = shutdown.Token;
        var pumps = new[]
        {
            PumpAsync(cluster.Pods, change => change.Type == StoreEventType.Deleted || NeedsScheduling(change.Object.Value) || FreedCapacity(change), token),
            PumpAsync(cluster.Nodes, _ => true, token),
            PumpAsync(cluster.PersistentVolumeClaims, _ => true, token),
        };
        loop = Task.WhenAll([.. pumps, Task.Run(() => RunAsync(token))]);
    }

    public async ValueTask DisposeAsync()
    {
        await shutdown.CancelAsync();
        await loop;
    }

    /// <summary>Turns the relevant changes of one kind into wake-ups of the scheduling loop (coalesced).</summary>
    private Task PumpAsync<T>(ResourceStore<T> store, Func<StoreEvent<T>, bool> relevant, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var watch = store.Watch(null, null, int.MaxValue);
        return Task.Run(async () =>
        {
            using (watch)
            {
                try
                {
                    await foreach (var change in watch.Events.ReadAllAsync(cancellationToken))
                    {
                        if (relevant(change))
                        {
                            wake.Writer.TryWrite(true);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The cluster is stopping.
                }
            }
        });
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in wake.Reader.ReadAllAsync(cancellationToken))
            {
                ScheduleAll();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The cluster is stopping.
        }
    }

    private void ScheduleAll()
    {
        var registered = cluster.Nodes.Get(new ObjectKey(string.Empty, node.Name))?.Value;
        var pods = cluster.Pods.List(null).Items;
        if (registered is null)
        {
            return;
        }

        var usage = NodeUsage.Of(pods.Select(p => p.Value).Where(p => p.Spec.NodeName == node.Name && p.Status?.Phase is not ("Succeeded" or "Failed")));
        var pending = pods.Where(p => NeedsScheduling(p.Value))
            .OrderByDescending(p => p.Value.Spec.Priority ?? 0)
            .ThenBy(p => p.Value.Metadata.CreationTimestamp)
            .ThenBy(p => p.ResourceVersion);
        foreach (var candidate in pending)
        {
            var message = FitError(candidate.Value, registered, usage);
            if (message is null)
            {
                Bind(candidate);
                usage.Add(candidate.Value);
            }
            else
            {
                MarkUnschedulable(candidate, message);
            }
        }

        foreach (var gone in lastFailure.Keys.Where(k => cluster.Pods.Get(k) is null).ToList())
        {
            lastFailure.Remove(gone);
        }
    }

    /// <summary>Null when the pod fits the node, else the scheduler's message (FitError.Error plus the preemption
    /// attempt), e.g. <c>0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No
    /// preemption victims found for incoming pod.</c></summary>
    private string? FitError(V1Pod pod, V1Node registered, NodeUsage used)
    {
        if (VolumeBinding.PreFilter(cluster, pod) is { } preFilter)
        {
            return $"0/1 nodes are available: {preFilter}. preemption: 0/1 nodes are available: 1 {NotHelpful}.";
        }

        var (reasons, resolvable) = Filter(pod, registered, used);
        if (reasons.Count == 0)
        {
            return null;
        }

        // The reasons form a sorted histogram over the nodes (sort.Strings), here of one node.
        var histogram = string.Join(", ", reasons.Select(r => "1 " + r).Order(StringComparer.Ordinal));
        return $"0/1 nodes are available: {histogram}. preemption: 0/1 nodes are available: 1 {(resolvable ? NoVictims : NotHelpful)}.";
    }

    /// <summary>The reasons of the first filter that rejects the node, and whether preemption could help (only
    /// NodeResourcesFit's reasons are resolvable by evicting pods).</summary>
    private static (List<string> Reasons, bool Resolvable) Filter(V1Pod pod, V1Node registered, NodeUsage used)
    {
        if (!NodeAffinity.PreFilterAdmits(pod, registered.Metadata.Name))
        {
            return ([NodeAffinity.NotSelected], false);
        }

        var tolerations = pod.Spec.Tolerations ?? [];
        if (registered.Spec?.Unschedulable == true && !tolerations.Any(t => TaintToleration.Tolerates(t, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" })))
        {
            return (["node(s) were unschedulable"], false);
        }

        if (TaintToleration.FindUntolerated(registered.Spec?.Taints, tolerations) is { } taint)
        {
            return ([TaintToleration.Reason(taint)], false);
        }

        if (!NodeAffinity.Matches(pod, registered))
        {
            return ([NodeAffinity.Mismatch], false);
        }

        return (NodeResourcesFit.Insufficient(pod, registered, used), true);
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

    private void MarkUnschedulable(StoredObject<V1Pod> pending, string message)
    {
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
