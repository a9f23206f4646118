using System.Security.Cryptography;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// A minimal OpenAPI v3: the index and one document per group version (<c>api/v1</c>,
/// <c>apis/rbac.authorization.k8s.io/v1</c>, ...) whose PATCH operations name each kind and accept
/// <c>fieldValidation</c>. That is what kubectl's query-parameter verifier looks for before it relies on
/// server-side field validation (so <c>kubectl create -f</c> works with validation on). Schemas are not served.
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly Dictionary<string, byte[]> documents;
    private readonly byte[] index;

    public OpenApiDocuments(IReadOnlyList<ResourceInfo> resources)
    {
        documents = resources
            .GroupBy(r => r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}")
            .ToDictionary(g => g.Key, g => BuildDocument(g.ToList()));
        index = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["paths"] = documents.ToDictionary(
                d => d.Key,
                d => new Dictionary<string, string> { ["serverRelativeURL"] = $"/openapi/v3/{d.Key}?hash={Convert.ToHexString(SHA512.HashData(d.Value))}" }),
        });
    }

    public byte[] Index => index;

    /// <summary>The document of a group version such as <c>api/v1</c>, or null when none is served.</summary>
    public byte[]? Document(string groupVersion) => documents.GetValueOrDefault(groupVersion);

    private static byte[] BuildDocument(IReadOnlyList<ResourceInfo> resources)
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
                var prefix = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
                var path = resource.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{resource.Plural}/{{name}}" : $"{prefix}/{resource.Plural}/{{name}}";
                writer.WriteStartObject(path);
                writer.WriteStartObject("patch");
                writer.WriteString("operationId", $"patch{OperationGroup(resource.Group)}{Capitalized(resource.Version)}{(resource.Namespaced ? "Namespaced" : string.Empty)}{resource.Kind}");
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
                writer.WriteString("group", resource.Group);
                writer.WriteString("version", resource.Version);
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

    /// <summary>The group part of an operation id (<c>Core</c>, <c>RbacAuthorization</c>), as kube-openapi names them.</summary>
    private static string OperationGroup(string group) => group.Length == 0
        ? "Core"
        : string.Concat(group.Replace(".k8s.io", string.Empty, StringComparison.Ordinal).Split('.').Select(Capitalized));

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
