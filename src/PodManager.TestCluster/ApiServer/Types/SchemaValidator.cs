using System.Text.Json;
using System.Text.RegularExpressions;

namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>
/// Checks JSON against the OpenAPI schema the type tables describe: every field known to the type (no unknown
/// fields), JSON types and integer ranges, required fields, enum values, date-time and quantity formats. Objects are
/// found by their <c>apiVersion</c> and <c>kind</c>, also when embedded (watch events, table rows). Each violation is
/// reported as <c>Kind .path.to[0].field: what is wrong</c>.
/// </summary>
internal static partial class SchemaValidator
{
    /// <summary>Validates an object of a kind (found by its apiVersion and kind).</summary>
    public static void ValidateObject(JsonElement json, List<string> violations)
    {
        var kind = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var apiVersion = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (kind is null)
        {
            violations.Add($"the object has no kind: {Truncate(json.GetRawText())}");
            return;
        }

        if (ApiTypes.Instance.ForKind(apiVersion, kind) is not { } type)
        {
            violations.Add($"{kind}: no schema for kind {kind} in {apiVersion ?? "(no apiVersion)"}");
            return;
        }

        Validate(json, type, kind, string.Empty, violations);
    }

    /// <summary>Validates a value of a named type; <paramref name="label"/> starts each violation.</summary>
    public static void Validate(JsonElement json, ApiType type, string label, string path, List<string> violations)
    {
        switch (type.Form)
        {
            case JsonForm.Fields:
                ValidateFields(json, type, label, path, violations);
                break;
            case JsonForm.DateTime or JsonForm.DateTimeMicro:
                if (json.ValueKind != JsonValueKind.String || !DateTimeRegex().IsMatch(json.GetString()!))
                {
                    violations.Add($"{label} {Show(path)}: {Describe(json)} is not a date-time (RFC 3339)");
                }

                break;
            case JsonForm.Quantity:
                if (json.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || (json.ValueKind == JsonValueKind.String && !QuantityRegex().IsMatch(json.GetString()!)))
                {
                    violations.Add($"{label} {Show(path)}: {Describe(json)} is not a quantity");
                }

                break;
            case JsonForm.IntOrString:
                if (json.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || (json.ValueKind == JsonValueKind.Number && !json.TryGetInt32(out _)))
                {
                    violations.Add($"{label} {Show(path)}: {Describe(json)} is not an integer or a string");
                }

                break;
            case JsonForm.Object:
                if (json.ValueKind != JsonValueKind.Object)
                {
                    violations.Add($"{label} {Show(path)}: {Describe(json)} is not an object");
                }
                else if (json.TryGetProperty("kind", out _) && type.Name != $"{ApiTypes.MetaPackage}.FieldsV1")
                {
                    // An embedded object (a watch event's, a table row's) is checked as its own kind.
                    ValidateObject(json, violations);
                }

                break;
            case JsonForm.Items:
                if (json.ValueKind != JsonValueKind.Array || json.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
                {
                    violations.Add($"{label} {Show(path)}: {Describe(json)} is not a list of strings");
                }

                break;
        }
    }

    private static void ValidateFields(JsonElement json, ApiType type, string label, string path, List<string> violations)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            violations.Add($"{label} {Show(path)}: {Describe(json)} is not an object ({type.ShortName})");
            return;
        }

        var fields = type.JsonFields;
        foreach (var property in json.EnumerateObject())
        {
            var child = $"{path}.{property.Name}";
            if (type.IsKind && property.Name is "apiVersion" or "kind")
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    violations.Add($"{label} {child}: {Describe(property.Value)} is not a string");
                }

                continue;
            }

            if (!fields.TryGetValue(property.Name, out var field))
            {
                violations.Add($"{label} {child}: unknown field \"{property.Name}\" ({type.ShortName} has no such field)");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                ValidateField(property.Value, field, label, child, violations);
            }
        }

        foreach (var (name, field) in fields)
        {
            if (field.IsRequired && !json.TryGetProperty(name, out _))
            {
                violations.Add($"{label} {path}.{name}: required field \"{name}\" is missing ({type.ShortName})");
            }
        }
    }

    private static void ValidateField(JsonElement value, ApiField field, string label, string path, List<string> violations)
    {
        if (field.IsList)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                violations.Add($"{label} {path}: {Describe(value)} is not a list");
                return;
            }

            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                ValidateValue(element, field, label, $"{path}[{index++}]", violations);
            }
        }
        else if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                violations.Add($"{label} {path}: {Describe(value)} is not a map");
                return;
            }

            foreach (var entry in value.EnumerateObject())
            {
                ValidateValue(entry.Value, field, label, $"{path}[{entry.Name}]", violations);
            }
        }
        else
        {
            ValidateValue(value, field, label, path, violations);
        }
    }

    private static void ValidateValue(JsonElement value, ApiField field, string label, string path, List<string> violations)
    {
        if (field.Type is { } type)
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                Validate(value, type, label, path, violations);
            }

            return;
        }

        var valid = field.Scalar switch
        {
            Scalar.String => value.ValueKind == JsonValueKind.String,
            Scalar.Bytes => value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out _),
            Scalar.Int32 => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            Scalar.Int64 => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            Scalar.Double => value.ValueKind == JsonValueKind.Number,
            Scalar.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!valid)
        {
            violations.Add($"{label} {path}: {Describe(value)} is not {ScalarName(field.Scalar)}");
        }
        else if (field.Enum is { } values && value.ValueKind == JsonValueKind.String && !values.Contains(value.GetString()!))
        {
            violations.Add($"{label} {path}: \"{value.GetString()}\" is not one of the enum values {string.Join(", ", values.Select(e => $"\"{e}\""))}");
        }
    }

    private static string ScalarName(Scalar scalar) => scalar switch
    {
        Scalar.String => "a string",
        Scalar.Bytes => "base64 bytes",
        Scalar.Int32 => "an int32",
        Scalar.Int64 => "an int64",
        Scalar.Double => "a number",
        Scalar.Bool => "a boolean",
        _ => scalar.ToString(),
    };

    private static string Show(string path) => path.Length == 0 ? "(the object)" : path;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    // RFC 3339 as Go's time.Time marshals it (metav1.Time in seconds, MicroTime with six digits).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();

    // resource.Quantity's canonical forms: a decimal number with an optional binary or decimal SI suffix or exponent.
    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$")]
    private static partial Regex QuantityRegex();
}
