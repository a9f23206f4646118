using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.FieldManager;

/// <summary>
/// The set of field paths an object sets, by its schema (structured-merge-diff's ToFieldSet): every scalar, atomic
/// list and empty object is a member; keyed and set lists contribute one member per item and recurse into keyed
/// items; map entries are members of their own. Found by path, a value can be read or removed.
/// </summary>
internal static class FieldSets
{
    // What the field manager never tracks (fieldmanager's stripMeta): type meta and server-owned metadata, with
    // whatever lies below them; labels, annotations, finalizers and owner references are tracked.
    private static readonly string[] Stripped =
        ["f:apiVersion", "f:kind", .. new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "generation", "managedFields", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds" }.Select(f => FieldPath.Append("f:metadata", FieldPath.Field(f)))];

    /// <summary>The paths an object sets; <paramref name="include"/> keeps the top-level fields a write may own (spec or status).</summary>
    public static HashSet<string> Of(JsonObject item, ApiType type, Func<string, bool> include)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        WalkObject(item, type, string.Empty, set);
        set.RemoveWhere(path => path == "f:metadata" || Stripped.Any(s => path == s || path.StartsWith(s + FieldPath.Separator, StringComparison.Ordinal)) || !include(FieldPath.Elements(path)[0]));
        return set;
    }

    /// <summary>The value at a path, or null when the object has nothing there.</summary>
    public static JsonNode? Get(JsonNode? root, string path) =>
        FieldPath.Elements(path).Aggregate(root, (node, element) => node is null ? null : Child(node, element));

    /// <summary>Removes the field, map entry or list item at a path, if the object has it.</summary>
    public static void Remove(JsonNode root, string path)
    {
        var elements = FieldPath.Elements(path);
        var parent = elements[..^1].Aggregate((JsonNode?)root, (node, element) => node is null ? null : Child(node, element));
        switch (parent)
        {
            case JsonObject obj when elements[^1].StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(elements[^1][2..]);
                break;
            case JsonArray list when Child(list, elements[^1]) is { } item:
                list.Remove(item);
                break;
        }
    }

    /// <summary>True when the path names a value the set owns as a whole (not an object whose fields are members).</summary>
    public static bool IsLeaf(JsonNode? value) => value is not JsonObject obj || obj.Count == 0;

    private static JsonNode? Child(JsonNode node, string element)
    {
        var body = element[2..];
        return (element[0], node) switch
        {
            ('f', JsonObject obj) => obj[body],
            ('k', JsonArray list) => list.OfType<JsonObject>().FirstOrDefault(item => Matches(item, body)),
            ('v', JsonArray list) => list.FirstOrDefault(item => (item?.ToJsonString() ?? "null") == body),
            _ => null,
        };
    }

    private static bool Matches(JsonObject item, string key)
    {
        var expected = JsonNode.Parse(key)!.AsObject();
        return expected.All(pair => JsonNode.DeepEquals(item[pair.Key], pair.Value));
    }

    private static void WalkObject(JsonObject item, ApiType type, string path, HashSet<string> set)
    {
        foreach (var (name, value) in item)
        {
            var child = FieldPath.Append(path, FieldPath.Field(name));
            if (type.JsonFields.TryGetValue(name, out var field))
            {
                WalkField(value, field, child, set);
            }

            if (value is null || value is JsonObject { Count: 0 } || !type.JsonFields.ContainsKey(name))
            {
                set.Add(child);
            }
        }
    }

    private static void WalkField(JsonNode? value, ApiField field, string path, HashSet<string> set)
    {
        if (field.IsList)
        {
            if (field.ListType == ListType.Atomic || value is not JsonArray list)
            {
                set.Add(path);
                return;
            }

            foreach (var item in list)
            {
                var itemPath = FieldPath.Append(path, field.ListType == ListType.Map && item is JsonObject keyed ? FieldPath.Key(keyed, field.ListKeys) : FieldPath.Value(item));
                if (field.ListType == ListType.Map && item is JsonObject obj && field.Type is { Form: JsonForm.Fields } itemType)
                {
                    WalkObject(obj, itemType, itemPath, set);
                }

                set.Add(itemPath);
            }
        }
        else if (field.IsMap)
        {
            if (value is not JsonObject map)
            {
                set.Add(path);
                return;
            }

            foreach (var (key, entry) in map)
            {
                var entryPath = FieldPath.Append(path, FieldPath.Field(key));
                WalkValue(entry, field, entryPath, set);
                set.Add(entryPath);
            }
        }
        else
        {
            WalkValue(value, field, path, set);
        }
    }

    private static void WalkValue(JsonNode? value, ApiField field, string path, HashSet<string> set)
    {
        if (field.Type is { Form: JsonForm.Fields } type && value is JsonObject obj)
        {
            WalkObject(obj, type, path, set);
        }
        else
        {
            set.Add(path);
        }
    }
}
