using k8s.Models;

namespace PodManager.TestCluster.Scheduler;

/// <summary>What a set of pods requests of a node: every resource they ask for (cpu, memory, extended resources
/// such as <c>nvidia.com/gpu</c> ...) and pod slots.</summary>
internal sealed class NodeUsage
{
    private readonly Dictionary<string, decimal> requested = new(StringComparer.Ordinal);

    public int Pods { get; private set; }

    public static NodeUsage Of(IEnumerable<V1Pod> pods)
    {
        var usage = new NodeUsage();
        foreach (var pod in pods)
        {
            usage.Add(pod);
        }

        return usage;
    }

    public void Add(V1Pod pod)
    {
        Pods++;
        foreach (var (resource, amount) in ResourceRequests.Of(pod))
        {
            requested[resource] = Requested(resource) + amount;
        }
    }

    public decimal Requested(string resource) => requested.GetValueOrDefault(resource);
}
