using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ApiServer.Authorization;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// The request pipeline in front of the router (the filter chain of k8s.io/apiserver): every failure becomes a
/// Kubernetes Status, bearer tokens are authenticated (401 otherwise), and every request, the fault API included,
/// is authorized by RBAC (403 with the real message otherwise).
/// </summary>
internal static class ApiPipeline
{
    public const string UserItem = "testcluster.user";
    public const string RequestInfoItem = "testcluster.request";

    public static async Task HandleErrorsAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (ApiException error)
        {
            await WriteStatusAsync(context, error.Status);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await WriteStatusAsync(context, ApiErrors.ForCode(500, $"Internal error occurred: {error.Message}"));
        }
    }

    /// <summary>Authenticates the bearer token, then applies impersonation headers if the user may impersonate.</summary>
    public static Func<HttpContext, Func<Task>, Task> Authenticate(TokenAuthenticator tokens, RbacAuthorizer authorizer) => async (context, next) =>
    {
        context.Items[RequestInfoItem] = RequestInfo.Parse(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.Query);
        var user = tokens.Authenticate(context.Request.Headers.Authorization) ?? throw ApiErrors.Unauthorized();
        context.Items[UserItem] = Impersonation.Apply(context.Request, user, authorizer);
        await next();
    };

    /// <summary>
    /// Authorizes the request as its RequestInfo describes it. A WebSocket upgrade to <c>pods/exec</c>,
    /// <c>pods/attach</c> or <c>pods/portforward</c> is a GET, so it also needs <c>create</c>, as a 1.35 API server
    /// checks it (AuthorizePodWebsocketUpgradeCreatePermission, on by default): the same permission an SPDY POST needs.
    /// </summary>
    public static Func<HttpContext, Func<Task>, Task> Authorize(RbacAuthorizer authorizer) => async (context, next) =>
    {
        var user = User(context);
        var info = Info(context);
        Require(authorizer, user, info);
        if (info is { IsResourceRequest: true, Verb: "get", Resource: "pods", Subresource: "exec" or "attach" or "portforward" }
            && context.Request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase)))
        {
            Require(authorizer, user, info with { Verb = "create" });
        }

        await next();
    };

    public static UserInfo User(HttpContext context) => (UserInfo)context.Items[UserItem]!;

    public static RequestInfo Info(HttpContext context) => (RequestInfo)context.Items[RequestInfoItem]!;

    private static void Require(RbacAuthorizer authorizer, UserInfo user, RequestInfo info)
    {
        var decision = authorizer.Authorize(user, info);
        if (!decision.Allowed)
        {
            throw ApiErrors.Forbidden(user.Name, info, decision.Reason);
        }
    }

    private static async Task WriteStatusAsync(HttpContext context, ApiStatus status)
    {
        if (context.Response.HasStarted)
        {
            // A stream already under way cannot turn into an error; cut it so the client notices.
            context.Abort();
            return;
        }

        context.Response.Clear();
        await ApiResponses.WriteStatusAsync(context, status, context.RequestAborted);
    }
}
