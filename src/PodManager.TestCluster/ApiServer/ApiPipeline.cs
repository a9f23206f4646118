using PodManager.TestCluster.ApiServer.Authentication;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// The request pipeline in front of the router: every failure becomes a Kubernetes Status, bearer tokens are
/// checked (401 otherwise), and the read-only user is refused every write with the real 403 message.
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

    public static Func<HttpContext, Func<Task>, Task> Authenticate(AccessTokens tokens) => async (context, next) =>
    {
        var info = RequestInfo.Parse(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.Query);
        context.Items[RequestInfoItem] = info;
        var user = tokens.UserFor(context.Request.Headers.Authorization) ?? throw ApiErrors.Unauthorized();
        context.Items[UserItem] = user;
        var isAdminPath = context.Request.Path.StartsWithSegments("/_testcluster");
        if (user == AccessTokens.ReadOnlyUser && (isAdminPath || !info.IsReadOnly))
        {
            throw ApiErrors.Forbidden(user, info);
        }

        await next();
    };

    public static RequestInfo Info(HttpContext context) => (RequestInfo)context.Items[RequestInfoItem]!;

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
