using PodManager.TestCluster.Resources;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Api;

/// <summary><c>…/pods/{name}/exec</c>.</summary>
internal sealed class PodExecEndpoint(ClusterState cluster) : IPodExecEndpoint
{
    public Task ServeAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        _ = cluster.Pods.Get(key) ?? throw ApiErrors.NotFound("pods", key.Name);
        throw ApiErrors.BadRequest("Upgrade request required");
    }
}
