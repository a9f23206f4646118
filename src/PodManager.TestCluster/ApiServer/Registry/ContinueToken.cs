using System.Text;
using System.Text.Json;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>The opaque <c>continue</c> token of a paged list: the key the next page starts after.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = resourceVersion,
            ["start"] = lastKey + "\u0000",
        }));

    /// <summary>The key to start after, or a 400 for a token this server did not issue.</summary>
    public static string DecodeStart(string token)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            var start = document.RootElement.GetProperty("start").GetString() ?? string.Empty;
            return start.TrimEnd('\u0000');
        }
        catch (Exception error) when (error is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data at input byte 0");
        }
    }
}
