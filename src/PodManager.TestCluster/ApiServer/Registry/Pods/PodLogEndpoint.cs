using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Kubelet;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>
/// <c>GET …/pods/{name}/log</c>: the API server's container checks, then the kubelet's log status checks, then the
/// log itself as <c>text/plain</c> with the headers flushed before any data. The fault API can cut a stream
/// (<paramref name="nextCut"/>) or keep a followed one open after the end (<paramref name="nextHold"/>).
/// </summary>
internal sealed class PodLogEndpoint(ClusterState cluster, Kubelet.Kubelet kubelet, Func<string, LogCut?> nextCut, Func<string, bool> nextHold)
{
    public async Task ServeAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            throw ApiErrors.MethodNotAllowed();
        }

        var pod = cluster.Pods.Get(key)?.Value ?? throw ApiErrors.NotFound("pods", key.Name);
        var query = PodLogQuery.From(context.Request.Query, key.Name, cluster.Time.GetUtcNow().UtcDateTime);
        var containerName = PodContainers.Resolve(pod, query.Container);
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            // The API server has no kubelet to ask yet and answers with an empty log.
            await StartAsync(context, cancellationToken);
            return;
        }

        var runner = kubelet.FindWorker(pod.Metadata.Uid)?.FindContainer(containerName);
        LogFile log;
        try
        {
            log = runner?.ResolveLog(key.Name, query.Previous)
                ?? throw new LogUnavailableException($"container \"{containerName}\" in pod \"{key.Name}\" is waiting to start: ContainerCreating");
        }
        catch (LogUnavailableException error)
        {
            throw ApiErrors.BadRequest(error.Message);
        }

        await StartAsync(context, cancellationToken);
        var path = context.Request.Path.Value ?? "";
        var hold = query.Follow && nextHold(path);
        if (await LogStreamer.CopyAsync(log, query, context.Response.BodyWriter, nextCut(path), hold, cancellationToken))
        {
            context.Abort();
        }
    }

    private static async Task StartAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
