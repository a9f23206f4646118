using System.Security.Cryptography;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// A minimal OpenAPI v3: the index and an <c>api/v1</c> document whose PATCH operations name each kind and accept
/// <c>fieldValidation</c>. That is what kubectl's query-parameter verifier looks for before it relies on
/// server-side field validation (so <c>kubectl create -f</c> works with validation on). Schemas are not served.
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly byte[] coreDocument;
    private readonly byte[] index;

    public OpenApiDocuments(IReadOnlyList<ResourceInfo> resources)
    {
        coreDocument = BuildCoreDocument(resources);
        var hash = Convert.ToHexString(SHA512.HashData(coreDocument));
        index = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["paths"] = new Dictionary<string, object> { ["api/v1"] = new Dictionary<string, string> { ["serverRelativeURL"] = $"/openapi/v3/api/v1?hash={hash}" } },
        });
    }

    public byte[] Index => index;

    public byte[] CoreDocument => coreDocument;

    private static byte[] BuildCoreDocument(IReadOnlyList<ResourceInfo> resources)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("openapi", "3.0.0");
            writer.WriteStartObject("info");
            writer.WriteString("title", "Kubernetes");
            writer.WriteString("version", "v1.32.0");
            writer.WriteEndObject();
            writer.WriteStartObject("paths");
            foreach (var resource in resources.Where(r => r.Verbs.Contains("patch")))
            {
                var path = resource.Namespaced ? $"/api/v1/namespaces/{{namespace}}/{resource.Plural}/{{name}}" : $"/api/v1/{resource.Plural}/{{name}}";
                writer.WriteStartObject(path);
                writer.WriteStartObject("patch");
                writer.WriteString("operationId", $"patch{(resource.Namespaced ? "Namespaced" : string.Empty)}{resource.Kind}");
                writer.WriteStartArray("parameters");
                foreach (var parameter in new[] { "dryRun", "fieldManager", "fieldValidation", "force" })
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", parameter);
                    writer.WriteString("in", "query");
                    writer.WriteStartObject("schema");
                    writer.WriteString("type", parameter == "force" ? "boolean" : "string");
                    writer.WriteBoolean("uniqueItems", true);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartObject("responses");
                writer.WriteStartObject("200");
                writer.WriteString("description", "OK");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteString("x-kubernetes-action", "patch");
                writer.WriteStartObject("x-kubernetes-group-version-kind");
                writer.WriteString("group", string.Empty);
                writer.WriteString("version", "v1");
                writer.WriteString("kind", resource.Kind);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
