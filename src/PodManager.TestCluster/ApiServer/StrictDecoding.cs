using System.Text.Json;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// What the API server's strict decoding reports about a request body, in the body's order: each field the type
/// does not have in Kubernetes 1.32 (<c>unknown field "spec.containers[0].comand"</c>, also when its value is null) and
/// each field given twice (<c>duplicate field "metadata.name"</c>), by the type tables. Used for
/// <c>fieldValidation=Strict</c> (a 400) and <c>Warn</c> (warning headers, the default); whatever the mode, unknown
/// fields are then dropped from the body, as the API server's decoder drops them.
/// </summary>
internal static class StrictDecoding
{
    public static List<string> Find(byte[] body, ApiType type)
    {
        var errors = new List<string>();
        var reader = new Utf8JsonReader(body);
        if (reader.Read())
        {
            Walk(ref reader, type, isList: false, isMap: false, "", errors);
        }

        return errors;
    }

    /// <summary>The body without the fields its type does not have (repeated fields are kept; the last one wins).</summary>
    public static byte[] DropUnknownFields(byte[] body, ApiType type)
    {
        using var document = JsonDocument.Parse(body);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Copy(writer, document.RootElement, type, isList: false, isMap: false);
        }

        return buffer.ToArray();
    }

    private static void Walk(ref Utf8JsonReader reader, ApiType? type, bool isList, bool isMap, string path, List<string> errors)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                Walk(ref reader, isList ? type : null, isList: false, isMap: false, $"{path}[{i}]", errors);
            }

            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        // A type of fields has a fixed set of them; a map takes any key; other forms (embedded objects) anything.
        var fields = !isMap && type is { Form: JsonForm.Fields } ? type.JsonFields : null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var child = path.Length == 0 ? name : $"{path}.{name}";
            reader.Read();
            ApiField? field = null;
            if (fields is not null && !fields.TryGetValue(name, out field) && !(type!.IsKind && name is "apiVersion" or "kind"))
            {
                if (seen.Add(name))
                {
                    errors.Add($"unknown field \"{child}\"");
                }

                reader.Skip();
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add($"duplicate field \"{child}\"");
            }

            if (isMap)
            {
                Walk(ref reader, type, isList: false, isMap: false, child, errors);
            }
            else if (field is not null)
            {
                Walk(ref reader, field.Type, field.IsList, field.IsMap, child, errors);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void Copy(Utf8JsonWriter writer, JsonElement value, ApiType? type, bool isList, bool isMap)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            writer.WriteStartArray();
            foreach (var item in value.EnumerateArray())
            {
                Copy(writer, item, isList ? type : null, isList: false, isMap: false);
            }

            writer.WriteEndArray();
            return;
        }

        if (value.ValueKind != JsonValueKind.Object || type is null)
        {
            value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            if (isMap)
            {
                writer.WritePropertyName(property.Name);
                Copy(writer, property.Value, type, isList: false, isMap: false);
            }
            else if (type.Form != JsonForm.Fields || (type.IsKind && property.Name is "apiVersion" or "kind"))
            {
                property.WriteTo(writer);
            }
            else if (type.JsonFields.TryGetValue(property.Name, out var field))
            {
                writer.WritePropertyName(property.Name);
                Copy(writer, property.Value, field.Type, field.IsList, field.IsMap);
            }
        }

        writer.WriteEndObject();
    }
}
