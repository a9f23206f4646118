using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>
/// Objects with every field their type has, from the type tables: each scalar non-zero (so no encoding may drop it),
/// each list with one item and each map with one entry, enums at a valid value.
/// </summary>
internal static class FullObjects
{
    public static JsonObject Of(string apiVersion, string kind)
    {
        var type = ApiTypes.Instance.ForKind(apiVersion, kind) ?? throw new ArgumentException($"no type for {apiVersion} {kind}");
        var result = Fields(type, depth: 0);
        result.Insert(0, "kind", kind);
        result.Insert(0, "apiVersion", apiVersion);
        return result;
    }

    /// <summary>The JSON paths of every value in an object, <c>.spec.containers[0].name</c> style.</summary>
    public static IEnumerable<string> Paths(JsonNode? node, string path = "") => node switch
    {
        JsonObject obj => obj.SelectMany(p => Paths(p.Value, $"{path}.{p.Key}")).DefaultIfEmpty(path),
        JsonArray array => array.SelectMany((item, i) => Paths(item, $"{path}[{i}]")).DefaultIfEmpty(path),
        _ => [path],
    };

    private static JsonObject Fields(ApiType type, int depth)
    {
        var result = new JsonObject();
        foreach (var (name, field) in type.JsonFields)
        {
            if (Value(field, name, depth) is { } value)
            {
                result[name] = field.IsList ? new JsonArray(value) : field.IsMap ? new JsonObject { [$"key-{name}"] = value } : value;
            }
        }

        return result;
    }

    private static JsonNode? Value(ApiField field, string name, int depth)
    {
        if (field.Type is { } type)
        {
            return type.Form switch
            {
                JsonForm.Fields => depth < 12 ? Fields(type, depth + 1) : null,
                JsonForm.DateTime => "2024-05-06T07:08:09Z",
                JsonForm.DateTimeMicro => "2024-05-06T07:08:09.123456Z",
                JsonForm.Quantity => "250m",
                JsonForm.IntOrString => name.Length % 2 == 0 ? JsonValue.Create(8080) : JsonValue.Create("http"),
                JsonForm.Object => new JsonObject { ["f:metadata"] = new JsonObject() },
                JsonForm.Items => new JsonArray("a", "b"),
                _ => null,
            };
        }

        return field.Scalar switch
        {
            Scalar.String => field.Enum is { } values ? values[^1] : $"{name.ToLowerInvariant()}-value",
            Scalar.Int32 => 3,
            Scalar.Int64 => 5,
            Scalar.Bool => true,
            Scalar.Bytes => "aGVsbG8=",
            Scalar.Double => 1.5,
            _ => "any",
        };
    }
}
