using System.Reflection;
using System.Text.Json.Serialization;
using System.Xml;
using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>
/// The descriptions of the API's types and fields, as KubernetesClient's model types carry them from the published
/// OpenAPI (the documentation file <c>KubernetesClient.xml</c> beside its assembly). A type of the tables is matched to
/// its model type by KubernetesClient's naming (<c>V1PodSpec</c>, <c>Corev1Event</c>) and a field to the property with
/// its JSON name. Read once per process, and only when an OpenAPI document is first asked for.
/// </summary>
internal sealed class ModelDescriptions
{
    private static readonly Lazy<ModelDescriptions> Loaded = new(Load);
    private static readonly Assembly Models = typeof(V1Pod).Assembly;

    private readonly Dictionary<string, string> summaries;

    private ModelDescriptions(Dictionary<string, string> summaries) => this.summaries = summaries;

    public static ModelDescriptions Instance => Loaded.Value;

    public string? Describe(ApiType type) =>
        ModelType(type) is { } model ? summaries.GetValueOrDefault($"T:{model.FullName}") : null;

    public string? Describe(ApiType type, string jsonName) =>
        ModelType(type) is { } model && Property(model, jsonName) is { } property
            ? summaries.GetValueOrDefault($"P:{model.FullName}.{property.Name}")
            : null;

    /// <summary>KubernetesClient's class for a type: <c>{Group}{version}{Name}</c> where names clash, else <c>{Version}{Name}</c>.</summary>
    private static Type? ModelType(ApiType type)
    {
        var parts = type.Package.Split('.');
        var version = parts[^1];
        var group = type.Package.StartsWith("io.k8s.api.", StringComparison.Ordinal) ? parts[^2] : null;
        string[] candidates = group is null
            ? [$"{Capitalize(version)}{type.ShortName}"]
            : [$"{Capitalize(group)}{version}{type.ShortName}", $"{Capitalize(version)}{type.ShortName}"];
        return candidates.Select(name => Models.GetType($"k8s.Models.{name}")).FirstOrDefault(t => t is not null);
    }

    private static PropertyInfo? Property(Type model, string jsonName) =>
        model.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == jsonName);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static ModelDescriptions Load()
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.ChangeExtension(Models.Location, ".xml");
        if (!File.Exists(file))
        {
            return new ModelDescriptions(summaries);
        }

        using var reader = XmlReader.Create(file, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith("T:k8s.Models.", StringComparison.Ordinal) || name.StartsWith("P:k8s.Models.", StringComparison.Ordinal)))
            {
                continue;
            }

            using var member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary"))
            {
                summaries[name] = Normalize(member.ReadElementContentAsString());
            }
        }

        return new ModelDescriptions(summaries);
    }

    /// <summary>The summary's lines joined into paragraphs, as the OpenAPI description had them.</summary>
    private static string Normalize(string summary)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in summary.Split('\n').Select(l => l.Trim()))
        {
            if (line.Length > 0)
            {
                current.Add(line);
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(string.Join(' ', current));
                current.Clear();
            }
        }

        if (current.Count > 0)
        {
            paragraphs.Add(string.Join(' ', current));
        }

        return string.Join("\n\n", paragraphs);
    }
}
