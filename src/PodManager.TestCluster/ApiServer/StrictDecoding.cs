using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// What the API server's strict decoding reports about a request body, in the body's order: each field the type
/// does not have (<c>unknown field "spec.containers[0].comand"</c>, also when its value is null) and each field
/// given twice (<c>duplicate field "metadata.name"</c>). Used for <c>fieldValidation=Strict</c> (a 400) and
/// <c>Warn</c> (warning headers, the default), as on a real server.
/// </summary>
internal static class StrictDecoding
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Fields = new();

    public static List<string> Find(byte[] body, Type type)
    {
        var errors = new List<string>();
        var reader = new Utf8JsonReader(body);
        if (reader.Read())
        {
            Walk(ref reader, type, "", errors);
        }

        return errors;
    }

    private static void Walk(ref Utf8JsonReader reader, Type? type, string path, List<string> errors)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            // A model type has a fixed set of fields; a map (labels, resources.limits) takes any key; other types anything.
            var fields = type is not null && type.Namespace == "k8s.Models" && type.GetCustomAttribute<JsonConverterAttribute>() is null ? FieldsOf(type) : null;
            var valueType = type is null ? null : Generic(type, typeof(IDictionary<,>))?.GetGenericArguments()[1];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var child = path.Length == 0 ? name : $"{path}.{name}";
                reader.Read();
                Type? childType = valueType;
                if (fields is not null && !fields.TryGetValue(name, out childType))
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

                Walk(ref reader, childType, child, errors);
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            var element = type is null || type == typeof(string) ? null : Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                Walk(ref reader, element, $"{path}[{i}]", errors);
            }
        }
    }

    private static IReadOnlyDictionary<string, Type> FieldsOf(Type type) =>
        Fields.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, p => p.PropertyType, StringComparer.Ordinal));

    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
