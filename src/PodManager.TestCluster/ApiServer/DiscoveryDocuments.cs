using System.Text.Json;
using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Version and discovery documents: legacy (<c>APIVersions</c>, <c>APIResourceList</c>, <c>APIGroupList</c>) and
/// aggregated (<c>APIGroupDiscoveryList</c>), chosen by the Accept header as kubectl negotiates it.
/// </summary>
internal sealed class DiscoveryDocuments(IReadOnlyList<ResourceInfo> resources)
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string AggregatedV2Beta1ContentType = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    public static byte[] Version() => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T17:59:15Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    });

    /// <summary>The content type of the aggregated document the Accept header asks for, or null for legacy.</summary>
    public static string? AggregatedTypeRequested(HttpRequest request)
    {
        var accept = string.Join(',', request.Headers.Accept.Where(v => v is not null));
        if (accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2;", StringComparison.Ordinal))
        {
            return AggregatedContentType;
        }

        return accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2beta1", StringComparison.Ordinal)
            ? AggregatedV2Beta1ContentType
            : null;
    }

    public static byte[] ApiVersions() => Write(writer =>
    {
        writer.WriteString("kind", "APIVersions");
        writer.WriteStartArray("versions");
        writer.WriteStringValue("v1");
        writer.WriteEndArray();
        writer.WriteStartArray("serverAddressByClientCIDRs");
        writer.WriteStartObject();
        writer.WriteString("clientCIDR", "0.0.0.0/0");
        writer.WriteString("serverAddress", "127.0.0.1:6443");
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    public static byte[] GroupList() => Write(writer =>
    {
        writer.WriteString("kind", "APIGroupList");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartArray("groups");
        writer.WriteEndArray();
    });

    public byte[] ResourceList() => Write(writer =>
    {
        writer.WriteString("kind", "APIResourceList");
        writer.WriteString("groupVersion", "v1");
        writer.WriteStartArray("resources");
        foreach (var resource in resources)
        {
            WriteLegacyResource(writer, resource.Plural, resource.Singular, resource.Namespaced, resource.Kind, resource.Verbs, resource.ShortNames, resource.Categories);
            foreach (var sub in resource.Subresources)
            {
                WriteLegacyResource(writer, $"{resource.Plural}/{sub.Name}", string.Empty, resource.Namespaced, sub.Kind, sub.Verbs, [], []);
            }
        }

        writer.WriteEndArray();
    });

    /// <summary>The aggregated document for <c>/api</c> (the core group) or <c>/apis</c> (no groups).</summary>
    public byte[] Aggregated(bool core, string contentType) => Write(writer =>
    {
        writer.WriteString("kind", "APIGroupDiscoveryList");
        writer.WriteString("apiVersion", contentType == AggregatedContentType ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        if (core)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteStartArray("versions");
            writer.WriteStartObject();
            writer.WriteString("version", "v1");
            writer.WriteStartArray("resources");
            foreach (var resource in resources)
            {
                WriteAggregatedResource(writer, resource);
            }

            writer.WriteEndArray();
            writer.WriteString("freshness", "Current");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static void WriteAggregatedResource(Utf8JsonWriter writer, ResourceInfo resource)
    {
        writer.WriteStartObject();
        writer.WriteString("resource", resource.Plural);
        WriteKind(writer, "responseKind", resource.Kind);
        writer.WriteString("scope", resource.Namespaced ? "Namespaced" : "Cluster");
        writer.WriteString("singularResource", resource.Singular);
        WriteStrings(writer, "verbs", resource.Verbs);
        if (resource.ShortNames.Count > 0)
        {
            WriteStrings(writer, "shortNames", resource.ShortNames);
        }

        if (resource.Categories.Count > 0)
        {
            WriteStrings(writer, "categories", resource.Categories);
        }

        if (resource.Subresources.Count > 0)
        {
            writer.WriteStartArray("subresources");
            foreach (var sub in resource.Subresources)
            {
                writer.WriteStartObject();
                writer.WriteString("subresource", sub.Name);
                WriteKind(writer, "responseKind", sub.Kind);
                WriteStrings(writer, "verbs", sub.Verbs);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteLegacyResource(Utf8JsonWriter writer, string name, string singular, bool namespaced, string kind, IReadOnlyList<string> verbs, IReadOnlyList<string> shortNames, IReadOnlyList<string> categories)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("singularName", singular);
        writer.WriteBoolean("namespaced", namespaced);
        writer.WriteString("kind", kind);
        WriteStrings(writer, "verbs", verbs);
        if (shortNames.Count > 0)
        {
            WriteStrings(writer, "shortNames", shortNames);
        }

        if (categories.Count > 0)
        {
            WriteStrings(writer, "categories", categories);
        }

        writer.WriteEndObject();
    }

    private static void WriteKind(Utf8JsonWriter writer, string property, string kind)
    {
        writer.WriteStartObject(property);
        writer.WriteString("group", string.Empty);
        writer.WriteString("version", "v1");
        writer.WriteString("kind", kind);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, IEnumerable<string> values)
    {
        writer.WriteStartArray(property);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
