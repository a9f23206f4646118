using System.Globalization;

namespace PodManager.TestCluster.ApiServer.Watch;

/// <summary>The watch parameters of a list request.</summary>
internal sealed record WatchRequest(long? ResourceVersion, TimeSpan? Timeout, bool AllowBookmarks, bool? SendInitialEvents)
{
    public static WatchRequest From(IQueryCollection query)
    {
        var timeoutSeconds = QueryParameters.GetInt64(query, "timeoutSeconds");
        var sendInitialEvents = query.ContainsKey("sendInitialEvents") ? QueryParameters.GetBool(query, "sendInitialEvents") : (bool?)null;
        return new WatchRequest(
            ParseResourceVersion(QueryParameters.GetString(query, "resourceVersion")),
            timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : null,
            QueryParameters.GetBool(query, "allowWatchBookmarks"),
            sendInitialEvents);
    }

    public static long? ParseResourceVersion(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"resourceVersion: Invalid value: \"{text}\": invalid resource version");
    }
}
