using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace PodManager.TestCluster.ApiServer;

/// <summary>Reads request bodies; malformed JSON is a 400 BadRequest, as on the real server.</summary>
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

        return buffer.ToArray();
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
