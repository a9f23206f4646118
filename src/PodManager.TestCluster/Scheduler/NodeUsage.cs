using k8s.Models;

namespace PodManager.TestCluster.Scheduler;

/// <summary>What a set of pods requests of a node: CPU, memory and pod slots.</summary>
internal readonly record struct NodeUsage(decimal Cpu, decimal Memory, int Pods)
{
    public static NodeUsage Of(IEnumerable<V1Pod> pods)
    {
        var usage = default(NodeUsage);
        foreach (var pod in pods)
        {
            usage += new NodeUsage(ResourceRequests.Of(pod, "cpu"), ResourceRequests.Of(pod, "memory"), 1);
        }

        return usage;
    }

    public static NodeUsage operator +(NodeUsage left, NodeUsage right) =>
        new(left.Cpu + right.Cpu, left.Memory + right.Memory, left.Pods + right.Pods);
}
