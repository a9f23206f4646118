using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>The API server's choice of container for log and exec requests (pkg/registry/core/pod/strategy.go).</summary>
internal static class PodContainers
{
    public static string Resolve(V1Pod pod, string? requested)
    {
        var containers = pod.Spec.Containers.Select(c => c.Name).ToList();
        var initContainers = (pod.Spec.InitContainers ?? []).Select(c => c.Name).ToList();
        if (requested is null)
        {
            if (containers.Count == 1)
            {
                return containers[0];
            }

            var message = $"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', containers)}]";
            if (initContainers.Count > 0)
            {
                message += $" or one of the init containers: [{string.Join(' ', initContainers)}]";
            }

            throw ApiErrors.BadRequest(message);
        }

        return containers.Contains(requested) || initContainers.Contains(requested)
            ? requested
            : throw ApiErrors.BadRequest($"container {requested} is not valid for pod {pod.Metadata.Name}");
    }
}
