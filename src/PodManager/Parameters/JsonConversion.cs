using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PodManager.Commands.Parameters;

/// <summary>
/// Between PowerShell objects and JSON: manifests given as hashtables or ConvertFrom-Json objects become
/// JSON for the engine, and XCom results become objects exactly as ConvertFrom-Json makes them.
/// </summary>
internal static class JsonConversion
{
    private const string FromJsonScript = "param($json, $asHashtable) ConvertFrom-Json -InputObject $json -AsHashtable:$asHashtable -Depth 1024 -NoEnumerate";

    public static string ToJson(object value) => ToNode(value)?.ToJsonString() ?? "null";

    /// <summary>Must run on the pipeline thread: it invokes ConvertFrom-Json in the caller's runspace.</summary>
    public static object? FromJson(PSCmdlet cmdlet, string json, bool asHashtable)
    {
        var results = cmdlet.InvokeCommand.NewScriptBlock(FromJsonScript).Invoke(json, asHashtable);
        if (results.Count == 0 || results[0] is not { } item)
        {
            return null;
        }

        return item.BaseObject is PSCustomObject ? item : item.BaseObject;
    }

    private static JsonNode? ToNode(object? value)
    {
        value = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return JsonValue.Create(text);
            case bool flag:
                return JsonValue.Create(flag);
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case double or float or decimal:
                return JsonValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
                }

                return obj;
            case PSObject custom:
                var fromProperties = new JsonObject();
                foreach (var property in custom.Properties.Where(p => p.IsGettable && p.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.Property))
                {
                    fromProperties[property.Name] = ToNode(property.Value);
                }

                return fromProperties;
            case IEnumerable items:
                var array = new JsonArray();
                foreach (var item in items)
                {
                    array.Add(ToNode(item));
                }

                return array;
            default:
                return JsonSerializer.SerializeToNode(value);
        }
    }
}
