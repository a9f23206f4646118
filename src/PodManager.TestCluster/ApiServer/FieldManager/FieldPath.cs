using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PodManager.TestCluster.ApiServer.FieldManager;

/// <summary>
/// A path to a field, as structured-merge-diff names them in <c>managedFields</c>: a list of elements <c>f:name</c> (a
/// field or map key), <c>k:{"name":"c"}</c> (an item of a list keyed by its map keys) and <c>v:"value"</c> (an item of a
/// set). Paths are kept as one string, the elements joined by <see cref="Separator"/>.
/// </summary>
internal static class FieldPath
{
    public const char Separator = '\0';

    public static string Field(string name) => $"f:{name}";

    public static string Value(JsonNode? value) => $"v:{value?.ToJsonString() ?? "null"}";

    /// <summary>A keyed item: its key fields, in name order, as a compact JSON object.</summary>
    public static string Key(JsonObject item, IEnumerable<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            key[name] = item[name]?.DeepClone();
        }

        return $"k:{key.ToJsonString()}";
    }

    public static string Append(string path, string element) => path.Length == 0 ? element : $"{path}{Separator}{element}";

    public static string[] Elements(string path) => path.Length == 0 ? [] : path.Split(Separator);

    /// <summary>The path as the API server prints it in a conflict: <c>.spec.containers[name="c"].image</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var element in Elements(path))
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'v':
                    text.Append("[=").Append(body).Append(']');
                    break;
                case 'k':
                    using (var key = JsonDocument.Parse(body))
                    {
                        text.Append('[')
                            .AppendJoin(',', key.RootElement.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}"))
                            .Append(']');
                    }

                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>The <c>fieldsV1</c> object of a set of paths: nested elements, <c>"."</c> marking a member with members below it.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in Elements(path))
            {
                node = (node[element] ??= new JsonObject()).AsObject();
            }

            node["."] = new JsonObject();
        }

        return Tidy(root);
    }

    /// <summary>The set of paths in a <c>fieldsV1</c> object.</summary>
    public static HashSet<string> FromFieldsV1(JsonNode? fields)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonObject node, string path)
        {
            foreach (var (element, child) in node)
            {
                if (element == ".")
                {
                    result.Add(path);
                }
                else if (child is JsonObject inner && inner.Count > 0)
                {
                    Walk(inner, Append(path, element));
                }
                else
                {
                    result.Add(Append(path, element));
                }
            }
        }

        if (fields is JsonObject top)
        {
            Walk(top, string.Empty);
        }

        return result;
    }

    /// <summary>Members without members below them are written <c>{}</c>; the rest get <c>".": {}</c>; keys sorted.</summary>
    private static JsonObject Tidy(JsonObject node)
    {
        var result = new JsonObject();
        var isMember = node.ContainsKey(".");
        var children = node.Where(p => p.Key != ".").OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (isMember && children.Count > 0)
        {
            result["."] = new JsonObject();
        }

        foreach (var (element, child) in children)
        {
            result[element] = Tidy(child!.AsObject());
        }

        return result;
    }
}
