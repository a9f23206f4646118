using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>Renders <c>…List</c> bodies from the stored JSON of each item, without re-serializing.</summary>
internal static class ObjectListWriter
{
    public static byte[] Render<T>(string listKind, string apiVersion, IEnumerable<StoredObject<T>> items, string resourceVersion, string? continueToken, long? remainingItemCount)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", listKind);
            writer.WriteString("apiVersion", apiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            if (remainingItemCount is { } remaining)
            {
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
