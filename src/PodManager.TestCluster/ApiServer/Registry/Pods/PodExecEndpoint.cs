using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>
/// <c>…/pods/{name}/exec</c>: the API server's checks, then a WebSocket upgrade with the subprotocol the client
/// offered (<c>v5.channel.k8s.io</c> or <c>v4.channel.k8s.io</c>, echoed back). A request that is not an upgrade
/// gets the same Status errors as JSON, and 400 <c>Upgrade request required</c> when it would have succeeded.
/// </summary>
internal sealed class PodExecEndpoint(ClusterState cluster, Kubelet.Kubelet kubelet) : IPodExecEndpoint
{
    private static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    public async Task ServeAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        var pod = cluster.Pods.Get(key)?.Value ?? throw ApiErrors.NotFound("pods", key.Name);
        if (context.Request.Headers.Upgrade.Any(u => u?.StartsWith("SPDY", StringComparison.OrdinalIgnoreCase) == true))
        {
            throw ApiErrors.BadRequest("SPDY is not supported by the test cluster; use WebSockets (kubectl 1.31 and later do by default)");
        }

        var request = ExecRequest.From(context.Request.Query);
        var containerName = PodContainers.Resolve(pod, request.Container);
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            throw ApiErrors.BadRequest($"pod {key.Name} does not have a host assigned");
        }

        var runner = kubelet.FindWorker(pod.Metadata.Uid)?.FindContainer(containerName);
        if (runner?.HostPid is not { } hostPid || runner.CurrentLaunch is not { } launch)
        {
            throw ApiErrors.BadRequest($"unable to upgrade connection: container not found (\"{containerName}\")");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiErrors.BadRequest("Upgrade request required");
        }

        var protocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(Protocols.Contains)
            ?? throw ApiErrors.BadRequest($"unable to upgrade connection: none of the subprotocols [{string.Join(' ', context.WebSockets.WebSocketRequestedProtocols)}] is supported; use {string.Join(" or ", Protocols)}");
        await ContainerRoot.WaitEnteredAsync(hostPid, launch.RunDirectory, cancellationToken);
        using var process = ExecProcess.Start(hostPid, launch, request.Command);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol });
        var schemaCheck = ResponseSchemaCheck.For(context);
        await new ExecSession(socket, protocol.StartsWith("v5", StringComparison.Ordinal), request, process, status => schemaCheck?.CheckExecStatus(context, status)).RunAsync(cancellationToken);
    }
}
