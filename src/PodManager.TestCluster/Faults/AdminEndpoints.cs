using System.Text.Json;
using PodManager.TestCluster.ApiServer;
using PodManager.TestCluster.ApiServer.Watch;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Kubelet;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Faults;

/// <summary>The fault API under <c>/_testcluster/</c> (cluster admins only: RBAC grants its paths to nobody else).</summary>
internal sealed class AdminEndpoints(FaultInjector faults, RequestCounter counter, OutageGate outage, WatchRegistry watches, Kubelet.Kubelet kubelet, ClusterState cluster, ClusterCredentials credentials)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries)[1..];
        var method = context.Request.Method;
        switch (segments)
        {
            case ["faults"] when method == "POST":
                faults.Add(await ReadAsync<FaultRule>(context) ?? throw ApiErrors.BadRequest("a fault rule is required"));
                await SuccessAsync(context, 201);
                return;
            case ["faults"] when method == "GET":
                await ApiResponses.WriteJsonAsync(context, 200, JsonSerializer.SerializeToUtf8Bytes(faults.Snapshot(), JsonSerializerOptions.Web), cancellationToken);
                return;
            case ["faults"] when method == "DELETE":
                faults.Clear();
                await SuccessAsync(context);
                return;
            case ["watches", "close"] when method == "POST":
                watches.CloseAll();
                await SuccessAsync(context);
                return;
            case ["watches", "expire"] when method == "POST":
                watches.ExpireNext();
                await SuccessAsync(context);
                return;
            case ["outage"] when method == "POST":
                var request = await ReadAsync<OutageRequest>(context) ?? throw ApiErrors.BadRequest("seconds is required");
                outage.Start(TimeSpan.FromSeconds(request.Seconds));
                outage.ResetOpenConnections(except: context.Connection.Id);
                await SuccessAsync(context);
                return;
            case ["pods", var ns, var name, "containers", var container, "terminate"] when method == "POST":
                var termination = await ReadAsync<TerminateRequest>(context) ?? new TerminateRequest();
                var runner = Worker(ns, name).FindContainer(container) ?? throw ApiErrors.NotFound("containers", container);
                if (!runner.Terminate(termination.ExitCode, termination.Reason))
                {
                    throw ApiErrors.Conflict("pods", name, $"container {container} is not running");
                }

                await SuccessAsync(context);
                return;
            case ["pods", var ns, var name, "evict"] when method == "POST":
                var eviction = await ReadAsync<EvictRequest>(context) ?? new EvictRequest();
                await Worker(ns, name).EvictAsync(eviction.Message);
                await SuccessAsync(context);
                return;
            case ["requests"] when method == "GET":
                await ApiResponses.WriteJsonAsync(context, 200, JsonSerializer.SerializeToUtf8Bytes(counter.Snapshot()), cancellationToken);
                return;
            case ["requests"] when method == "DELETE":
                counter.Reset();
                await SuccessAsync(context);
                return;
            case ["credentials", "rotate"] when method == "POST":
                var rotation = await ReadAsync<RotateRequest>(context) ?? new RotateRequest();
                credentials.Rotate(TimeSpan.FromSeconds(rotation.GraceSeconds));
                await SuccessAsync(context);
                return;
            case ["credentials", "expire"] when method == "POST":
                credentials.ExpireAll();
                await SuccessAsync(context);
                return;
            case ["tokens"] when method == "POST":
                var issue = await ReadAsync<TokenRequest>(context);
                if (string.IsNullOrEmpty(issue?.User))
                {
                    throw ApiErrors.BadRequest("user is required");
                }

                var token = credentials.Issue(issue.User, issue.Groups, issue.LifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
                await ApiResponses.WriteJsonAsync(context, 201, JsonSerializer.SerializeToUtf8Bytes(new { token }, JsonSerializerOptions.Web), cancellationToken);
                return;
            default:
                throw ApiErrors.PathNotFound();
        }
    }

    private PodWorker Worker(string ns, string name)
    {
        var pod = cluster.Pods.Get(new ObjectKey(ns, name))?.Value ?? throw ApiErrors.NotFound("pods", name);
        return kubelet.FindWorker(pod.Metadata.Uid) ?? throw ApiErrors.Conflict("pods", name, "the pod is not running on the node");
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context)
    {
        var body = await JsonBody.ReadBytesAsync(context.Request, context.RequestAborted);
        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException error)
        {
            throw ApiErrors.BadRequest($"invalid request body: {error.Message}");
        }
    }

    private static Task SuccessAsync(HttpContext context, int code = 200) =>
        ApiResponses.WriteJsonAsync(context, code, new ApiStatus(code, string.Empty, string.Empty).ToJson(), context.RequestAborted);

    private sealed record OutageRequest(double Seconds);

    private sealed record TerminateRequest(int ExitCode = 137, string Reason = "OOMKilled");

    private sealed record EvictRequest(string? Message = null);

    private sealed record RotateRequest(double GraceSeconds = 0);

    private sealed record TokenRequest(string? User, string[]? Groups = null, double? LifetimeSeconds = null);
}
