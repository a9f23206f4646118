using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PodManager.TestCluster.ApiServer.FieldManager;

/// <summary>
/// Reads the body of an <c>application/apply-patch+yaml</c> patch: YAML (JSON is YAML too) into the JSON object the
/// API server works on, with plain scalars resolved as sigs.k8s.io/yaml resolves them (null, booleans, numbers).
/// </summary>
internal static partial class ApplyConfiguration
{
    public const string MediaType = "application/apply-patch+yaml";

    public static JsonObject Parse(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw ApiErrors.BadRequest("the apply configuration must be an object");
        }
        catch (JsonException)
        {
            // Not JSON: read it as YAML.
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Encoding.UTF8.GetString(body)));
            return stream.Documents.Count == 1 && Convert(stream.Documents[0].RootNode) is JsonObject result
                ? result
                : throw ApiErrors.BadRequest("the apply configuration must be one YAML object");
        }
        catch (YamlException error)
        {
            throw ApiErrors.BadRequest($"error decoding YAML: {error.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? string.Empty, Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Resolve(scalar),
        _ => null,
    };

    private static JsonNode? Resolve(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (BoolRegex().IsMatch(text))
        {
            return JsonValue.Create(text.ToLowerInvariant() is "true" or "yes" or "on" or "y");
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return FloatRegex().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolRegex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();
}
