using System.Security.Cryptography;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// OpenAPI v3: the index and one document per group version (<c>api/v1</c>, <c>apis/{group}/{version}</c>). Each holds
/// the PATCH operations that name each kind and accept <c>fieldValidation</c> (what kubectl's query-parameter verifier
/// looks for before it relies on server-side field validation), and <c>components.schemas</c> for every type the
/// group version's kinds reach (what <c>kubectl explain</c> reads). Documents are built on first use.
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly Lazy<Dictionary<string, byte[]>> documents;
    private readonly Lazy<byte[]> index;

    public OpenApiDocuments(IReadOnlyList<ResourceInfo> resources)
    {
        documents = new(() => resources
            .GroupBy(r => r.Group.Length == 0 ? $"api/{r.Version}" : $"apis/{r.Group}/{r.Version}")
            .ToDictionary(g => g.Key, g => BuildDocument(g.ToList())));
        index = new(() => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["paths"] = documents.Value.ToDictionary(
                d => d.Key,
                d => new Dictionary<string, string> { ["serverRelativeURL"] = $"/openapi/v3/{d.Key}?hash={Convert.ToHexString(SHA512.HashData(d.Value))}" }),
        }));
    }

    public byte[] Index => index.Value;

    /// <summary>The document of a group version such as <c>api/v1</c>, or null when none is served.</summary>
    public byte[]? Document(string groupVersion) => documents.Value.GetValueOrDefault(groupVersion);

    private static byte[] BuildDocument(IReadOnlyList<ResourceInfo> resources)
    {
        var apiVersion = resources[0].ApiVersion;
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
                WritePatchOperation(writer, resource);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("components");
            OpenApiSchemas.Write(writer, Kinds(resources), apiVersion);
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

    /// <summary>The served kinds and their lists, and the kinds every group version carries (Status, DeleteOptions, WatchEvent, …).</summary>
    private static IEnumerable<ApiType> Kinds(IReadOnlyList<ResourceInfo> resources)
    {
        var types = ApiTypes.Instance;
        foreach (var resource in resources)
        {
            // A kind that is only created (the self-subject reviews) has no list kind.
            var kinds = resource.Verbs.Contains("list") ? new[] { resource.Kind, resource.ListKind } : [resource.Kind];
            foreach (var kind in kinds)
            {
                yield return types.ForKind(resource.ApiVersion, kind) ?? throw new InvalidOperationException($"kind {kind} of {resource.ApiVersion} is not in the type tables");
            }
        }

        foreach (var meta in types.All.Where(t => t.Package == ApiTypes.MetaPackage && t.IsKind && t.HasProtobuf))
        {
            yield return meta;
        }

        yield return types.Get($"{ApiTypes.MetaPackage}.WatchEvent");
    }

    private static void WritePatchOperation(Utf8JsonWriter writer, ResourceInfo resource)
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
}
