namespace PodManager.TestCluster.Kubelet;

/// <summary>The kubelet's pod-level state, from which <see cref="PodStatusBuilder"/> derives the pod status.
/// Mutated only under the owning <see cref="PodWorker"/>'s lock.</summary>
internal sealed class PodRuntime(IReadOnlyList<ContainerRecord> initContainers, IReadOnlyList<ContainerRecord> containers)
{
    private readonly Dictionary<string, (string Status, DateTime Since)> conditionSince = [];

    public IReadOnlyList<ContainerRecord> InitContainers { get; } = initContainers;

    public IReadOnlyList<ContainerRecord> Containers { get; } = containers;

    public IEnumerable<ContainerRecord> All => InitContainers.Concat(Containers);

    public DateTime? StartTime { get; set; }

    public string? HostIp { get; set; }

    public string? PodIp { get; set; }

    public bool SandboxReady { get; set; }

    /// <summary>The pod is being deleted: once its containers stop it takes a terminal phase whatever its restart policy.</summary>
    public bool Terminating { get; set; }

    /// <summary>A phase that no longer changes once reached (Succeeded or Failed).</summary>
    public string? TerminalPhase { get; set; }

    /// <summary>Pod-level reason and message, e.g. Evicted or DeadlineExceeded.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>The condition DisruptionTarget is set when the kubelet itself ended the pod.</summary>
    public string? DisruptionReason { get; set; }

    /// <summary>When a condition last changed status; a new status starts a new transition time.</summary>
    public DateTime TransitionTime(string type, string status, DateTime now)
    {
        if (conditionSince.TryGetValue(type, out var since) && since.Status == status)
        {
            return since.Since;
        }

        conditionSince[type] = (status, now);
        return now;
    }
}
