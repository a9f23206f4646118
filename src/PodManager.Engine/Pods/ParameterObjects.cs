using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PodManager.Engine.Pods;

/// <summary>
/// Reads a parameter whose value is a Kubernetes object (a toleration, an affinity, a container ...), given as the
/// JSON of a hashtable, as strictly as a manifest: a field Kubernetes does not know, or a value of the wrong shape,
/// is an InvalidParameterValue naming the parameter and the field, never dropped.
/// </summary>
internal static class ParameterObjects
{
    /// <param name="json">The value, as JSON text.</param>
    /// <param name="what">The value in the user's words: "-Affinity", "-Toleration entry 2".</param>
    /// <param name="kind">What it must be: "a toleration".</param>
    /// <param name="fields">The fields to suggest in the message.</param>
    public static T Read<T>(string json, string what, string kind, string fields)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is not JsonObject)
        {
            throw Invalid($"{what} must be a hashtable of the fields of {kind} ({fields}), not {Describe(node)}.");
        }

        var text = ManifestSchema.Canonicalize(node, typeof(T))!.ToJsonString();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var problems = ManifestSchema.Check(yaml.Documents[0].RootNode, typeof(T), withPositions: false);
        if (problems.Count > 0)
        {
            throw Invalid($"{what} is not {kind}: {string.Join("; ", problems)}. Give the fields of {kind}: {fields}.");
        }

        try
        {
            return KubernetesYaml.Deserialize<T>(text);
        }
        catch (YamlException)
        {
            throw Invalid($"{what} has a value that does not fit its field. Give the fields of {kind}: {fields}.");
        }
    }

    public static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonArray => "a list",
        _ => $"the value '{node.ToJsonString().Trim('"')}'",
    };
}
