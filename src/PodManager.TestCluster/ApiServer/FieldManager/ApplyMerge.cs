using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.FieldManager;

/// <summary>
/// Merges an apply configuration into the live object, by the schema (structured-merge-diff's merge): objects and maps
/// field by field, keyed lists item by item (new items appended), sets as a union, everything else replaced.
/// </summary>
internal static class ApplyMerge
{
    public static JsonObject Merge(JsonObject live, JsonObject applied, ApiType type)
    {
        var result = (JsonObject)live.DeepClone();
        foreach (var (name, value) in applied)
        {
            result[name] = type.JsonFields.TryGetValue(name, out var field)
                ? MergeField(result[name], value, field)
                : value?.DeepClone();
        }

        return result;
    }

    private static JsonNode? MergeField(JsonNode? live, JsonNode? applied, ApiField field)
    {
        if (field.IsList && field.ListType != ListType.Atomic && live is JsonArray liveList && applied is JsonArray appliedList)
        {
            var result = (JsonArray)liveList.DeepClone();
            foreach (var item in appliedList)
            {
                var existing = field.ListType == ListType.Map && item is JsonObject keyed
                    ? result.OfType<JsonObject>().FirstOrDefault(candidate => field.ListKeys.All(key => JsonNode.DeepEquals(candidate[key], keyed[key])))
                    : result.FirstOrDefault(candidate => JsonNode.DeepEquals(candidate, item));
                if (existing is null)
                {
                    result.Add(item?.DeepClone());
                }
                else if (field.ListType == ListType.Map)
                {
                    result[result.IndexOf(existing)] = MergeValue(existing, item, field);
                }
            }

            return result;
        }

        if (field.IsMap && live is JsonObject liveMap && applied is JsonObject appliedMap)
        {
            var result = (JsonObject)liveMap.DeepClone();
            foreach (var (key, value) in appliedMap)
            {
                result[key] = MergeValue(result[key], value, field);
            }

            return result;
        }

        return field.IsList || field.IsMap ? applied?.DeepClone() : MergeValue(live, applied, field);
    }

    private static JsonNode? MergeValue(JsonNode? live, JsonNode? applied, ApiField field) =>
        field.Type is { Form: JsonForm.Fields } type && live is JsonObject liveObject && applied is JsonObject appliedObject
            ? Merge(liveObject, appliedObject, type)
            : applied?.DeepClone();
}
