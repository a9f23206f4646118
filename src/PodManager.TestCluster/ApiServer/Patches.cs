using System.Text.Json;
using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Applies the PATCH formats the API server accepts to an object's JSON (server-side apply, the fourth, is in
/// FieldManager/). A strategic merge patch merges lists by the patch strategy and merge key the type tables give each
/// field (<c>x-kubernetes-patch-strategy</c>, <c>x-kubernetes-patch-merge-key</c>).
/// </summary>
internal static class Patches
{
    public static JsonNode Apply(JsonNode target, string? contentType, byte[] body, ApiType type)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? string.Empty;
        var kind = type.ShortName;
        return mediaType switch
        {
            "application/json-patch+json" => JsonPatch.Apply(target, JsonBody.ParseNode(body, kind)),
            "application/merge-patch+json" => MergePatch.Apply(target, JsonBody.ParseNode(body, kind), null),
            "application/strategic-merge-patch+json" => MergePatch.Apply(target, JsonBody.ParseNode(body, kind), type),
            _ => throw ApiErrors.UnsupportedMediaType(contentType ?? string.Empty),
        };
    }

    private static ApiException Unprocessable(string message) => new(new ApiStatus(422, "Invalid", message));

    /// <summary>RFC 6902.</summary>
    private static class JsonPatch
    {
        public static JsonNode Apply(JsonNode target, JsonNode patch)
        {
            if (patch is not JsonArray operations)
            {
                throw ApiErrors.BadRequest("json patch must be an array of operations");
            }

            var document = target.DeepClone();
            foreach (var operation in operations.OfType<JsonObject>())
            {
                var op = operation["op"]?.GetValue<string>();
                var path = operation["path"]?.GetValue<string>() ?? throw Unprocessable("json patch operation has no path");
                switch (op)
                {
                    case "add":
                        document = Add(document, path, operation["value"]?.DeepClone());
                        break;
                    case "remove":
                        Remove(document, path);
                        break;
                    case "replace":
                        Remove(document, path);
                        document = Add(document, path, operation["value"]?.DeepClone());
                        break;
                    case "move":
                        var moved = Get(document, From(operation));
                        Remove(document, From(operation));
                        document = Add(document, path, moved);
                        break;
                    case "copy":
                        document = Add(document, path, Get(document, From(operation))?.DeepClone());
                        break;
                    case "test":
                        if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                        {
                            throw Unprocessable($"testing value {path} failed");
                        }

                        break;
                    default:
                        throw Unprocessable($"Unexpected kind: {op}");
                }
            }

            return document;
        }

        private static string From(JsonObject operation) =>
            operation["from"]?.GetValue<string>() ?? throw Unprocessable("json patch operation has no from");

        private static JsonNode? Get(JsonNode document, string path)
        {
            JsonNode? current = document;
            foreach (var token in Tokens(path))
            {
                current = current switch
                {
                    JsonObject obj when obj.ContainsKey(token) => obj[token],
                    JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
                    _ => throw Unprocessable($"jsonpatch: path {path} does not exist"),
                };
            }

            return current;
        }

        private static JsonNode Add(JsonNode document, string path, JsonNode? value)
        {
            var tokens = Tokens(path);
            if (tokens.Count == 0)
            {
                return value ?? throw Unprocessable("cannot replace the whole document with null");
            }

            var parent = Get(document, Parent(tokens));
            var last = tokens[^1];
            switch (parent)
            {
                case JsonObject obj:
                    obj[last] = value;
                    break;
                case JsonArray array when last == "-":
                    array.Add(value);
                    break;
                case JsonArray array when int.TryParse(last, out var index) && index >= 0 && index <= array.Count:
                    array.Insert(index, value);
                    break;
                default:
                    throw Unprocessable($"jsonpatch add operation does not apply: doc is missing path: \"{path}\"");
            }

            return document;
        }

        private static void Remove(JsonNode document, string path)
        {
            var tokens = Tokens(path);
            var parent = Get(document, Parent(tokens));
            var last = tokens[^1];
            var removed = parent switch
            {
                JsonObject obj => obj.Remove(last),
                JsonArray array when int.TryParse(last, out var index) && index >= 0 && index < array.Count => RemoveAt(array, index),
                _ => false,
            };
            if (!removed)
            {
                throw Unprocessable($"jsonpatch remove operation does not apply: doc is missing path: \"{path}\"");
            }
        }

        private static bool RemoveAt(JsonArray array, int index)
        {
            array.RemoveAt(index);
            return true;
        }

        private static string Parent(List<string> tokens) =>
            string.Concat(tokens.Take(tokens.Count - 1).Select(t => "/" + t.Replace("~", "~0").Replace("/", "~1")));

        private static List<string> Tokens(string path) =>
            path.Length == 0 ? [] : path.Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    /// <summary>RFC 7386 (no type), and the strategic variant (with the object's type), which merges lists by their patch strategy.</summary>
    private static class MergePatch
    {
        public static JsonNode Apply(JsonNode? target, JsonNode? patch, ApiType? type)
        {
            if (patch is not JsonObject patchObject)
            {
                return patch?.DeepClone() ?? JsonValue.Create((string?)null)!;
            }

            var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
            foreach (var (key, value) in patchObject)
            {
                if (type is not null && key.StartsWith('$'))
                {
                    continue;
                }

                if (value is null)
                {
                    result.Remove(key);
                    continue;
                }

                var field = type?.Form == JsonForm.Fields ? type.JsonFields.GetValueOrDefault(key) : null;
                result[key] = field switch
                {
                    { IsList: true } when result[key] is JsonArray list && value is JsonArray items => MergeList(list, items, field),
                    { IsMap: true } when value is JsonObject entries => MergeMap(result[key], entries, field),
                    _ => Apply(result[key], value, field?.Type),
                };
            }

            return result;
        }

        private static JsonNode MergeMap(JsonNode? target, JsonObject patch, ApiField field)
        {
            var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
            foreach (var (key, value) in patch)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = Apply(result[key], value, field.Type);
                }
            }

            return result;
        }

        private static JsonNode MergeList(JsonArray target, JsonArray patch, ApiField field)
        {
            if (!field.PatchMerge)
            {
                return patch.DeepClone();
            }

            if (field.PatchMergeKey is not { } mergeKey)
            {
                // A list of scalars with the merge strategy (finalizers) is a union.
                var union = target.Select(n => n?.ToJsonString()).Concat(patch.Select(n => n?.ToJsonString())).Distinct();
                return new JsonArray(union.Select(s => s is null ? null : JsonNode.Parse(s)).ToArray());
            }

            var result = (JsonArray)target.DeepClone();
            foreach (var item in patch.OfType<JsonObject>())
            {
                var keyValue = item[mergeKey]?.ToJsonString();
                var existing = result.OfType<JsonObject>().FirstOrDefault(e => e[mergeKey]?.ToJsonString() == keyValue);
                var directive = item["$patch"]?.GetValue<string>();
                if (directive == "delete")
                {
                    if (existing is not null)
                    {
                        result.Remove(existing);
                    }
                }
                else if (existing is null)
                {
                    result.Add(Apply(null, item, field.Type));
                }
                else
                {
                    result[result.IndexOf(existing)] = Apply(existing, item, field.Type);
                }
            }

            return result;
        }
    }

    public static JsonNode ToNode(byte[] json) => JsonNode.Parse(json) ?? throw new JsonException("empty object");
}
