using k8s.Models;

namespace PodManager.TestCluster.Scheduler;

/// <summary>The NodeResourcesFit filter (fitsRequest): the node needs a free pod slot and room for every resource the
/// pod requests, extended resources included; a resource the node does not advertise has no room at all.</summary>
internal static class NodeResourcesFit
{
    /// <summary>The reasons the pod does not fit, e.g. <c>Too many pods</c>, <c>Insufficient nvidia.com/gpu</c>; empty when it fits.</summary>
    public static List<string> Insufficient(V1Pod pod, V1Node node, NodeUsage used)
    {
        var allocatable = node.Status?.Allocatable;
        decimal Allocatable(string resource) => allocatable.ValueOrDefault(resource)?.ToDecimal() ?? 0m;
        var reasons = new List<string>();
        if (used.Pods + 1 > Allocatable("pods"))
        {
            reasons.Add("Too many pods");
        }

        foreach (var (resource, amount) in ResourceRequests.Of(pod))
        {
            if (amount > 0 && used.Requested(resource) + amount > Allocatable(resource))
            {
                reasons.Add($"Insufficient {resource}");
            }
        }

        return reasons;
    }
}
