using System.Globalization;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Protobuf;
using PodManager.TestCluster.Hosting;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Writes JSON bodies and Status errors the way the API server sends them. An object is sent as protobuf instead
/// when the client prefers <c>application/vnd.kubernetes.protobuf</c> (as client-go's typed clients do) and its kind
/// has a protobuf form; a client that accepts nothing but protobuf gets 406 for anything else. With the schema check
/// on, every body is validated first.
/// </summary>
internal static class ApiResponses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> json, CancellationToken cancellationToken, string contentType = Json)
    {
        ResponseSchemaCheck.For(context)?.CheckResponse(context, statusCode, json.Span);
        if (contentType == Json && MediaTypes.Negotiate(context.Request) is var negotiated && negotiated != MediaTypes.Choice.Json)
        {
            using var document = JsonDocument.Parse(json);
            if (ProtobufEnvelope.EncodableType(document.RootElement) is { } type)
            {
                json = ProtobufEnvelope.Encode(document.RootElement, type);
                contentType = ProtobufEnvelope.MediaType;
            }
            else if (negotiated == MediaTypes.Choice.ProtobufOnly)
            {
                throw new ApiException(new ApiStatus(406, "NotAcceptable", $"only the following media types are accepted: {Json}"));
            }
        }

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
