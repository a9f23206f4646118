using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using PodManager.TestCluster.ApiServer.Protobuf;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Reads request bodies; malformed JSON is a 400 BadRequest, as on the real server. A protobuf body
/// (<c>application/vnd.kubernetes.protobuf</c>, what client-go's typed clients send) is read as the JSON of the
/// object it carries, so everything after this point sees JSON.
/// </summary>
internal static class JsonBody
{
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new ApiException(new ApiStatus(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"));
            }
        }

        return IsProtobuf(request.ContentType) ? DecodeProtobuf(buffer.ToArray()) : buffer.ToArray();
    }

    private static bool IsProtobuf(string? contentType) =>
        string.Equals(contentType?.Split(';')[0].Trim(), ProtobufEnvelope.MediaType, StringComparison.OrdinalIgnoreCase);

    private static byte[] DecodeProtobuf(byte[] body)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(ProtobufEnvelope.Decode(body));
        }
        catch (Exception error) when (error is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw ApiErrors.BadRequest($"the protobuf body could not be decoded: {error.Message}");
        }
    }

    public static T Deserialize<T>(byte[] body, string kind)
    {
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            return KubernetesJson.Deserialize<T>(stream) ?? throw new JsonException("null object");
        }
        catch (JsonException error)
        {
            throw ApiErrors.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: {error.Message}");
        }
    }

    public static JsonNode ParseNode(byte[] body, string kind)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw new JsonException("null object");
        }
        catch (JsonException error)
        {
            throw ApiErrors.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: {error.Message}");
        }
    }

    /// <summary>Rejects a body whose apiVersion or kind names another type (both may be absent).</summary>
    public static void CheckTypeMeta(string? apiVersion, string? kind, string expectedApiVersion, string expectedKind)
    {
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != expectedApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedApiVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != expectedKind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
        }
    }
}
