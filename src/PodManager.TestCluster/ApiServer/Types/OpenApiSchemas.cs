using System.Text.Json;

namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>
/// Writes the <c>components.schemas</c> of an OpenAPI v3 document from the type tables: one schema per type reachable
/// from the given kinds, named as the published OpenAPI names them, with JSON types and formats, <c>required</c>,
/// <c>enum</c>, list types and patch strategies, <c>x-kubernetes-group-version-kind</c> on kinds, and the descriptions of
/// <see cref="ModelDescriptions"/>. This is what <c>kubectl explain</c> reads.
/// </summary>
internal static class OpenApiSchemas
{
    private const string RefPrefix = "#/components/schemas/";

    public static void Write(Utf8JsonWriter writer, IEnumerable<ApiType> kinds, string apiVersion)
    {
        var descriptions = ModelDescriptions.Instance;
        writer.WriteStartObject("schemas");
        foreach (var type in Reachable(kinds).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            writer.WriteStartObject(type.Name);
            WriteDescription(writer, descriptions.Describe(type));
            WriteTypeBody(writer, type, descriptions, apiVersion);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Every type the kinds refer to; an inline type's fields are part of its parent, so it needs no schema of its own.</summary>
    private static HashSet<ApiType> Reachable(IEnumerable<ApiType> kinds)
    {
        var seen = new HashSet<ApiType>();
        var pending = new Stack<ApiType>(kinds);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var field in type.JsonFields.Values.Where(f => f.Type is not null))
            {
                pending.Push(field.Type!);
            }
        }

        return seen;
    }

    private static void WriteTypeBody(Utf8JsonWriter writer, ApiType type, ModelDescriptions descriptions, string apiVersion)
    {
        switch (type.Form)
        {
            case JsonForm.DateTime or JsonForm.DateTimeMicro:
                writer.WriteString("type", "string");
                writer.WriteString("format", "date-time");
                return;
            case JsonForm.Quantity:
                writer.WriteStartArray("oneOf");
                WriteTypeOnly(writer, "string");
                WriteTypeOnly(writer, "number");
                writer.WriteEndArray();
                return;
            case JsonForm.IntOrString:
                writer.WriteString("format", "int-or-string");
                writer.WriteStartArray("oneOf");
                WriteTypeOnly(writer, "integer");
                WriteTypeOnly(writer, "string");
                writer.WriteEndArray();
                return;
            case JsonForm.Object:
                writer.WriteString("type", "object");
                return;
            case JsonForm.Items:
                writer.WriteString("type", "array");
                writer.WriteStartObject("items");
                writer.WriteString("type", "string");
                writer.WriteEndObject();
                return;
        }

        writer.WriteString("type", "object");
        var required = type.JsonFields.Where(f => f.Value.IsRequired).Select(f => f.Key).ToList();
        if (required.Count > 0)
        {
            writer.WriteStartArray("required");
            required.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }

        writer.WriteStartObject("properties");
        if (type.IsKind)
        {
            foreach (var meta in new[] { "apiVersion", "kind" })
            {
                writer.WriteStartObject(meta);
                WriteDescription(writer, descriptions.Describe(type, meta));
                writer.WriteString("type", "string");
                writer.WriteEndObject();
            }
        }

        foreach (var (name, field) in type.JsonFields)
        {
            writer.WriteStartObject(name);
            WriteDescription(writer, descriptions.Describe(type, name));
            WriteField(writer, field);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (type.IsKind)
        {
            var (group, version) = SplitApiVersion(type.ApiVersion ?? apiVersion);
            if (type.Package == ApiTypes.MetaPackage)
            {
                (group, version) = SplitApiVersion(apiVersion);
            }

            writer.WriteStartArray("x-kubernetes-group-version-kind");
            writer.WriteStartObject();
            writer.WriteString("group", group);
            writer.WriteString("kind", type.ShortName);
            writer.WriteString("version", version);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
    }

    private static void WriteField(Utf8JsonWriter writer, ApiField field)
    {
        if (field.IsList)
        {
            writer.WriteString("type", "array");
            writer.WriteStartObject("items");
            WriteValue(writer, field);
            writer.WriteEndObject();
            writer.WriteString("x-kubernetes-list-type", field.ListType.ToString().ToLowerInvariant());
            if (field.ListKeys.Count > 0)
            {
                writer.WriteStartArray("x-kubernetes-list-map-keys");
                foreach (var key in field.ListKeys)
                {
                    writer.WriteStringValue(key);
                }

                writer.WriteEndArray();
            }

            WritePatchStrategy(writer, field);
        }
        else if (field.IsMap)
        {
            writer.WriteString("type", "object");
            writer.WriteStartObject("additionalProperties");
            WriteValue(writer, field);
            writer.WriteEndObject();
        }
        else
        {
            WriteValue(writer, field);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, ApiField field)
    {
        if (field.Type is { } type)
        {
            writer.WriteStartArray("allOf");
            writer.WriteStartObject();
            writer.WriteString("$ref", RefPrefix + type.Name);
            writer.WriteEndObject();
            writer.WriteEndArray();
            return;
        }

        var (jsonType, format) = field.Scalar switch
        {
            Scalar.String => ("string", null),
            Scalar.Bytes => ("string", "byte"),
            Scalar.Int32 => ("integer", "int32"),
            Scalar.Int64 => ("integer", "int64"),
            Scalar.Double => ("number", "double"),
            Scalar.Bool => ("boolean", (string?)null),
            _ => (null, null),
        };
        if (jsonType is null)
        {
            writer.WriteBoolean("x-kubernetes-preserve-unknown-fields", true);
            return;
        }

        writer.WriteString("type", jsonType);
        if (format is not null)
        {
            writer.WriteString("format", format);
        }

        if (field.Enum is { } values)
        {
            writer.WriteStartArray("enum");
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }
    }

    private static void WritePatchStrategy(Utf8JsonWriter writer, ApiField field)
    {
        if (field.PatchMergeKey is { } key)
        {
            writer.WriteString("x-kubernetes-patch-merge-key", key);
        }

        if (field.PatchMerge)
        {
            writer.WriteString("x-kubernetes-patch-strategy", "merge");
        }
    }

    private static void WriteDescription(Utf8JsonWriter writer, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            writer.WriteString("description", description);
        }
    }

    private static void WriteTypeOnly(Utf8JsonWriter writer, string jsonType)
    {
        writer.WriteStartObject();
        writer.WriteString("type", jsonType);
        writer.WriteEndObject();
    }

    private static (string Group, string Version) SplitApiVersion(string apiVersion) =>
        apiVersion.IndexOf('/') is var slash and >= 0 ? (apiVersion[..slash], apiVersion[(slash + 1)..]) : (string.Empty, apiVersion);
}
