using System.Text.Json;
using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>
/// A field whose type the API declares as an enum (<c>+enum</c> in k8s.io/api, <c>enum</c> in the OpenAPI) must hold
/// one of its values, as each field's validation in pkg/apis/core/validation requires with <c>field.NotSupported</c>.
/// Status is left to the components that write it; an empty value is one the defaults fill.
/// </summary>
internal static class EnumRules
{
    public static IEnumerable<FieldError> Validate(JsonObject item, ApiType type)
    {
        var errors = new List<FieldError>();
        Walk(item, type, string.Empty, errors);
        return errors;
    }

    private static void Walk(JsonObject item, ApiType type, string path, List<FieldError> errors)
    {
        foreach (var (name, value) in item)
        {
            if ((path.Length == 0 && name == "status") || value is null || !type.JsonFields.TryGetValue(name, out var field))
            {
                continue;
            }

            var child = path.Length == 0 ? name : $"{path}.{name}";
            var values = field.IsList && value is JsonArray list
                ? list.Select((v, i) => (v, $"{child}[{i}]"))
                : field.IsMap && value is JsonObject map ? map.Select(p => (p.Value, $"{child}[{p.Key}]")) : [(value, child)];
            foreach (var (element, at) in values)
            {
                if (field.Type is { Form: JsonForm.Fields } inner && element is JsonObject obj)
                {
                    Walk(obj, inner, at, errors);
                }
                else if (field.Enum is { } allowed && element is JsonValue text && text.GetValueKind() == JsonValueKind.String
                    && text.GetValue<string>() is { Length: > 0 } actual && !allowed.Contains(actual))
                {
                    errors.Add(FieldError.NotSupported(at, actual, allowed));
                }
            }
        }
    }
}
