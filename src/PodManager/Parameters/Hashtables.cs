using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;

namespace PodManager.Commands.Parameters;

/// <summary>
/// Turns a user's hashtable (-Env, -Label, -Annotation, -NodeSelector) into string pairs. Keys and values must be
/// scalars, written in the invariant culture (1.5, never 1,5); anything else (a nested hashtable, a list, an
/// object) is a clear error before any request, instead of the text System.Collections.Hashtable.
/// </summary>
internal static class Hashtables
{
    public static IReadOnlyDictionary<string, string>? ToStrings(IDictionary? table, string parameterName)
    {
        if (table is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var rawKey = PSObject.AsPSObject(entry.Key).BaseObject;
            if (!IsScalar(rawKey))
            {
                throw Invalid($"-{parameterName} has a key of type {rawKey.GetType().Name}; keys must be text, e.g. -{parameterName} @{{ NAME = 'value' }}.");
            }

            var key = Text(rawKey);
            if (key.Length == 0)
            {
                throw Invalid($"-{parameterName} has an entry with an empty key. Give every entry a name, e.g. -{parameterName} @{{ NAME = 'value' }}.");
            }

            if (entry.Value is null)
            {
                throw Invalid($"-{parameterName} has a null value for '{key}'. Give every key a value, e.g. -{parameterName} @{{ {key} = 'value' }}.");
            }

            var value = PSObject.AsPSObject(entry.Value).BaseObject;
            if (!IsScalar(value))
            {
                throw Invalid($"-{parameterName} has a value of type {value.GetType().Name} for '{key}'; values must be text, numbers or true/false. Give a scalar (-{parameterName} @{{ {key} = 'value' }}), or turn the structure into text first, e.g. (ConvertTo-Json -Compress).");
            }

            result[key] = Text(value);
        }

        return result;
    }

    // Values whose text is unambiguous: strings, numbers, booleans, enums, times, ids.
    private static bool IsScalar(object value) =>
        Type.GetTypeCode(value.GetType()) is not (TypeCode.Object or TypeCode.Empty or TypeCode.DBNull)
        || value is Guid or DateTimeOffset or TimeSpan or BigInteger or Version or Uri;

    private static string Text(object value) => value switch
    {
        DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("o", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static PodManagerException Invalid(string message) =>
        new(ErrorIds.InvalidParameterValue, message);
}
