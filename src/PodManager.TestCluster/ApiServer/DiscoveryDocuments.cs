using System.Text.Json;
using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Version and discovery documents: legacy (<c>APIVersions</c>, <c>APIResourceList</c>, <c>APIGroupList</c>,
/// <c>APIGroup</c>) and aggregated (<c>APIGroupDiscoveryList</c>), chosen by the Accept header as kubectl negotiates
/// it. The core group is served under <c>/api</c>, every other group under <c>/apis</c>.
/// </summary>
internal sealed class DiscoveryDocuments(IReadOnlyList<ResourceInfo> resources)
{
    private readonly IReadOnlyList<(string Group, string Version)> groups =
        resources.Where(r => r.Group.Length > 0).Select(r => (r.Group, r.Version)).Distinct().ToList();

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

    public bool HasGroup(string group) => groups.Any(g => g.Group == group);

    public bool HasGroupVersion(string group, string version) => groups.Contains((group, version));

    public byte[] GroupList() => Write(writer =>
    {
        writer.WriteString("kind", "APIGroupList");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartArray("groups");
        foreach (var group in groups.Select(g => g.Group).Distinct())
        {
            writer.WriteStartObject();
            WriteGroup(writer, group);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>The <c>APIGroup</c> document of <c>/apis/{group}</c>.</summary>
    public byte[] Group(string group) => Write(writer =>
    {
        writer.WriteString("kind", "APIGroup");
        writer.WriteString("apiVersion", "v1");
        WriteGroup(writer, group);
    });

    public byte[] ResourceList(string group, string version) => Write(writer =>
    {
        writer.WriteString("kind", "APIResourceList");
        if (group.Length > 0)
        {
            // The core group's list has no apiVersion, the others' have one, as on a real server.
            writer.WriteString("apiVersion", "v1");
        }

        writer.WriteString("groupVersion", group.Length == 0 ? version : $"{group}/{version}");
        writer.WriteStartArray("resources");
        foreach (var resource in resources.Where(r => r.Group == group && r.Version == version))
        {
            WriteLegacyResource(writer, resource.Plural, resource.Singular, resource.Namespaced, resource.Kind, resource.Verbs, resource.ShortNames, resource.Categories);
            foreach (var sub in resource.Subresources)
            {
                WriteLegacyResource(writer, $"{resource.Plural}/{sub.Name}", string.Empty, resource.Namespaced, sub.Kind, sub.Verbs, [], []);
            }
        }

        writer.WriteEndArray();
    });

    /// <summary>The aggregated document for <c>/api</c> (the core group) or <c>/apis</c> (every other group).</summary>
    public byte[] Aggregated(bool core, string contentType) => Write(writer =>
    {
        writer.WriteString("kind", "APIGroupDiscoveryList");
        writer.WriteString("apiVersion", contentType == AggregatedContentType ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var group in core ? [string.Empty] : groups.Select(g => g.Group).Distinct().ToArray())
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            if (group.Length > 0)
            {
                writer.WriteString("name", group);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("versions");
            foreach (var version in resources.Where(r => r.Group == group).Select(r => r.Version).Distinct())
            {
                writer.WriteStartObject();
                writer.WriteString("version", version);
                writer.WriteStartArray("resources");
                foreach (var resource in resources.Where(r => r.Group == group && r.Version == version))
                {
                    WriteAggregatedResource(writer, resource);
                }

                writer.WriteEndArray();
                writer.WriteString("freshness", "Current");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private void WriteGroup(Utf8JsonWriter writer, string group)
    {
        writer.WriteString("name", group);
        var versions = groups.Where(g => g.Group == group).Select(g => g.Version).ToList();
        writer.WriteStartArray("versions");
        foreach (var version in versions)
        {
            WriteGroupVersion(writer, null, group, version);
        }

        writer.WriteEndArray();
        WriteGroupVersion(writer, "preferredVersion", group, versions[0]);
    }

    private static void WriteGroupVersion(Utf8JsonWriter writer, string? property, string group, string version)
    {
        if (property is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(property);
        }

        writer.WriteString("groupVersion", $"{group}/{version}");
        writer.WriteString("version", version);
        writer.WriteEndObject();
    }

    private static void WriteAggregatedResource(Utf8JsonWriter writer, ResourceInfo resource)
    {
        writer.WriteStartObject();
        writer.WriteString("resource", resource.Plural);
        WriteKind(writer, "responseKind", resource, resource.Kind);
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
                WriteKind(writer, "responseKind", resource, sub.Kind);
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

    private static void WriteKind(Utf8JsonWriter writer, string property, ResourceInfo resource, string kind)
    {
        writer.WriteStartObject(property);
        writer.WriteString("group", resource.Group);
        writer.WriteString("version", resource.Version);
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
