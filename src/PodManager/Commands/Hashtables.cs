using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Turns a user's hashtable (-Env, -Label ...) into string pairs, refusing nulls with a clear error.</summary>
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
            var key = Convert.ToString(LanguagePrimitives.ConvertTo<object>(entry.Key), CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(key) || entry.Value is null)
            {
                throw new PodManagerException(
                    "InvalidParameterValue",
                    PodManagerErrorCategory.InvalidArgument,
                    $"-{parameterName} has an entry with an empty key or a null value. Give every key a value, e.g. -{parameterName} @{{ NAME = 'value' }}.");
            }

            result[key] = Convert.ToString(PSObject.AsPSObject(entry.Value).BaseObject, CultureInfo.InvariantCulture) ?? "";
        }

        return result;
    }
}
