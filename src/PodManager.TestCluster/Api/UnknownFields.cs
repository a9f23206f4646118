using System.Text.Json.Nodes;

namespace PodManager.TestCluster.Api;

/// <summary>
/// Finds the fields of a request body that the typed model dropped, for <c>fieldValidation=Strict</c> (what
/// <c>kubectl create -f</c> sends with validation on) and <c>Warn</c>.
/// </summary>
internal static class UnknownFields
{
    public static List<string> Find(JsonNode? raw, JsonNode? typed, string path = "")
    {
        var unknown = new List<string>();
        switch (raw)
        {
            case JsonObject rawObject:
                var typedObject = typed as JsonObject;
                foreach (var (name, value) in rawObject)
                {
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (value is null)
                    {
                        continue;
                    }

                    if (typedObject is null || !typedObject.TryGetPropertyValue(name, out var typedValue))
                    {
                        unknown.Add(child);
                    }
                    else
                    {
                        unknown.AddRange(Find(value, typedValue, child));
                    }
                }

                break;
            case JsonArray rawArray when typed is JsonArray typedArray:
                for (var i = 0; i < rawArray.Count && i < typedArray.Count; i++)
                {
                    unknown.AddRange(Find(rawArray[i], typedArray[i], $"{path}[{i}]"));
                }

                break;
        }

        return unknown;
    }
}
