using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PodManager.Engine.Pods;

/// <summary>
/// Checks a manifest's YAML tree against the Kubernetes model types before it is read into them, because that
/// reading drops unknown fields without a word (a misspelt <c>comand:</c> would run the image's default command)
/// and reports a value of the wrong shape as a .NET cast error. Each problem names its field path as the API
/// server does with <c>fieldValidation=Strict</c> (<c>unknown field "spec.containers[0].comand"</c>).
/// </summary>
internal static class ManifestSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Fields = new();

    private enum Shape
    {
        Any,
        Scalar,
        Fields,
        Map,
        List,
    }

    /// <param name="withPositions">Whether line and column mean something to the user (not for one-line JSON made from a hashtable).</param>
    public static List<string> Check(YamlNode node, Type type, bool withPositions)
    {
        var problems = new List<string>();
        Check(node, type, "", withPositions, problems);
        return problems;
    }

    private static void Check(YamlNode node, Type type, string path, bool withPositions, List<string> problems)
    {
        if (IsNull(node))
        {
            return;
        }

        var (shape, element) = ShapeOf(type);
        var where = withPositions ? $" (line {node.Start.Line}, column {node.Start.Column})" : "";
        switch (shape, node)
        {
            case (Shape.Any, _):
                return;
            case (Shape.Fields, YamlMappingNode mapping):
                var fields = FieldsOf(type);
                foreach (var (keyNode, value) in mapping.Children)
                {
                    var key = Key(keyNode);
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (fields.TryGetValue(key, out var fieldType))
                    {
                        Check(value, fieldType, child, withPositions, problems);
                    }
                    else
                    {
                        var position = withPositions ? $"line {keyNode.Start.Line}, column {keyNode.Start.Column}" : null;
                        var guess = Closest(key, fields.Keys) is { } known ? $"did you mean \"{known}\"?" : null;
                        var note = string.Join("; ", new[] { position, guess }.Where(n => n is not null));
                        problems.Add($"unknown field \"{child}\"{(note.Length == 0 ? "" : $" ({note})")}");
                    }
                }

                return;
            case (Shape.Map, YamlMappingNode mapping):
                foreach (var (keyNode, value) in mapping.Children)
                {
                    Check(value, element!, $"{path}.{Key(keyNode)}", withPositions, problems);
                }

                return;
            case (Shape.List, YamlSequenceNode sequence):
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Check(sequence.Children[i], element!, $"{path}[{i}]", withPositions, problems);
                }

                return;
            case (Shape.Scalar, YamlScalarNode scalar) when Fits(scalar, type):
                return;
            default:
                problems.Add($"\"{path}\" must be {Expected(shape, type)}, not {Describe(node)}{where}");
                return;
        }
    }

    /// <summary>
    /// A parameter value from a PowerShell hashtable, made to read as a manifest would: each key that matches a field
    /// of <paramref name="type"/> only when case is ignored takes the field's own spelling (PowerShell users write
    /// <c>@{ Key = 'x' }</c>), and a single value where a list belongs becomes a list of one (<c>values = 'batch'</c>).
    /// Anything else is left for <see cref="Check(YamlNode, Type, bool)"/> to report.
    /// </summary>
    public static JsonNode? Canonicalize(JsonNode? node, Type type)
    {
        var (shape, element) = ShapeOf(type);
        switch (shape, node)
        {
            case (Shape.Fields, JsonObject fieldsObject):
                var fields = FieldsOf(type);
                var canonical = new JsonObject();
                foreach (var (key, value) in fieldsObject.ToList())
                {
                    fieldsObject.Remove(key);
                    var matches = fields.Keys.Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
                    var name = fields.ContainsKey(key) || matches.Count != 1 || fieldsObject.ContainsKey(matches[0]) ? key : matches[0];
                    canonical[name] = fields.TryGetValue(name, out var fieldType) ? Canonicalize(value, fieldType) : value;
                }

                return canonical;
            case (Shape.Map, JsonObject map):
                foreach (var (key, value) in map.ToList())
                {
                    map.Remove(key);
                    map[key] = Canonicalize(value, element!);
                }

                return map;
            case (Shape.List, JsonArray list):
                var items = list.ToList();
                list.Clear();
                foreach (var item in items)
                {
                    list.Add(Canonicalize(item, element!));
                }

                return list;
            case (Shape.List, JsonValue or JsonObject):
                return new JsonArray(Canonicalize(node, element!));
            default:
                return node;
        }
    }

    /// <summary>What the user wrote, in plain words: a mapping, a list, or the value itself.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping of fields",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value '{Preview(scalar.Value ?? "")}'",
        _ => "an alias",
    };

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Key(YamlNode key) => key is YamlScalarNode { Value: { } name } ? name : key.ToString();

    private static string Preview(string value)
    {
        var flat = string.Concat(value.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        return flat.Length > 40 ? flat[..40] + "..." : flat;
    }

    private static (Shape Shape, Type? Element) ShapeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object) || type.Name == "JsonElement")
        {
            return (Shape.Any, null);
        }

        if (type == typeof(string) || type.IsPrimitive || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(byte[])
            || type.GetCustomAttribute<JsonConverterAttribute>() is not null)
        {
            return (Shape.Scalar, null);
        }

        if (Generic(type, typeof(IDictionary<,>)) is { } dictionary)
        {
            return (Shape.Map, dictionary.GetGenericArguments()[1]);
        }

        if (Generic(type, typeof(IEnumerable<>)) is { } list)
        {
            return (Shape.List, list.GetGenericArguments()[0]);
        }

        return (Shape.Fields, null);
    }

    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    /// <summary>The fields of a model type by their JSON (and YAML) names, as KubernetesClient maps them.</summary>
    private static IReadOnlyDictionary<string, Type> FieldsOf(Type type) =>
        Fields.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal));

    private static bool Fits(YamlScalarNode scalar, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var text = scalar.Value ?? "";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            TypeCode.Boolean => bool.TryParse(text, out _),
            _ => true,
        };
    }

    private static string Expected(Shape shape, Type type) => shape switch
    {
        Shape.Fields => "a mapping of fields",
        Shape.Map => "a mapping of names to values",
        Shape.List => "a list",
        _ => Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.DateTime => "a time",
            TypeCode.String => "text",
            _ => type.Name switch
            {
                "IntOrString" => "a number or a name",
                "ResourceQuantity" => "a quantity such as 250m or 64Mi",
                _ => "a single value",
            },
        },
    };

    /// <summary>The known field a misspelt one most likely meant: one edit away (two for names of six letters or more), or only its case differs.</summary>
    private static string? Closest(string key, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Distance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= (key.Length >= 6 ? 2 : 1))
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
