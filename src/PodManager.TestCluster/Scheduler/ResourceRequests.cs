using k8s.Models;

namespace PodManager.TestCluster.Scheduler;

/// <summary>A pod's effective request of a resource, as the scheduler counts it: the larger of the containers plus
/// sidecars and the largest init container. A container's limit stands in for a missing request.</summary>
internal static class ResourceRequests
{
    /// <summary>Every resource the pod's containers request or limit, with the pod's effective request of it.</summary>
    public static Dictionary<string, decimal> Of(V1Pod pod)
    {
        var containers = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers).ToList();
        return containers
            .SelectMany(c => (c.Resources?.Requests?.Keys ?? []).Concat(c.Resources?.Limits?.Keys ?? []))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(resource => resource, resource => Of(pod, resource), StringComparer.Ordinal);
    }

    public static decimal Of(V1Pod pod, string resource)
    {
        var sidecars = (pod.Spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Sum(c => Of(c, resource));
        var containers = pod.Spec.Containers.Sum(c => Of(c, resource)) + sidecars;
        var init = (pod.Spec.InitContainers ?? []).Where(c => c.RestartPolicy != "Always").Select(c => Of(c, resource)).DefaultIfEmpty(0m).Max();
        return Math.Max(containers, init + sidecars);
    }

    public static decimal Of(V1Container container, string resource) =>
        container.Resources?.Requests.ValueOrDefault(resource)?.ToDecimal()
        ?? container.Resources?.Limits.ValueOrDefault(resource)?.ToDecimal()
        ?? 0m;
}
