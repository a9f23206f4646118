using System.Globalization;

namespace PodManager.TestCluster.ApiServer;

/// <summary>Writes JSON bodies and Status errors the way the API server sends them.</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> json, CancellationToken cancellationToken, string contentType = Json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, cancellationToken);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiStatus status, CancellationToken cancellationToken)
    {
        if (status.Details?.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, status.Code, status.ToJson(), cancellationToken);
    }
}
