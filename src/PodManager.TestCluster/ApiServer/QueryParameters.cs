using System.Globalization;

namespace PodManager.TestCluster.ApiServer;

/// <summary>Query parsing with the API server's conversion rules.</summary>
internal static class QueryParameters
{
    /// <summary>Go's rule (Convert_Slice_string_To_bool): absent, "0" or "false" in any case is false; anything
    /// else, even an empty value, is true. That covers C# "1"/"true", Python "True" and kubectl "true".</summary>
    public static bool GetBool(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        var value = values[0] ?? string.Empty;
        return value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    public static string? GetString(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    public static long? GetInt64(IQueryCollection query, string name)
    {
        var text = GetString(query, name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"invalid value for {name}: \"{text}\": strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }

    public static IReadOnlyList<string> GetAll(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];
}
