using System.Globalization;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>The PodLogOptions of a log request, validated like ValidatePodLogOptions.</summary>
internal sealed record PodLogQuery(
    string? Container,
    bool Follow,
    bool Previous,
    bool Timestamps,
    long? TailLines,
    DateTime? Since,
    long? LimitBytes)
{
    public static PodLogQuery From(IQueryCollection query, string podName, DateTime now)
    {
        var tailLines = QueryParameters.GetInt64(query, "tailLines");
        var sinceSeconds = QueryParameters.GetInt64(query, "sinceSeconds");
        var limitBytes = QueryParameters.GetInt64(query, "limitBytes");
        var sinceTimeText = QueryParameters.GetString(query, "sinceTime");
        DateTime? sinceTime = null;
        if (sinceTimeText is not null)
        {
            // Whole seconds: the API server hands sinceTime to the kubelet as an RFC 3339 metav1.Time, so a real
            // cluster never honours a fraction either.
            sinceTime = DateTimeOffset.TryParse(sinceTimeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && sinceTimeText.Contains('T')
                ? Store.Timestamps.Seconds(parsed)
                : throw ApiErrors.BadRequest($"parsing time \"{sinceTimeText}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{sinceTimeText}\" as \"2006\"");
        }

        var errors = new List<FieldError>();
        if (tailLines < 0)
        {
            errors.Add(FieldError.Invalid("tailLines", tailLines.Value, "must be greater than or equal to 0"));
        }

        if (limitBytes < 1)
        {
            errors.Add(FieldError.Invalid("limitBytes", limitBytes.Value, "must be greater than 0"));
        }

        if (sinceSeconds < 1)
        {
            errors.Add(FieldError.Invalid("sinceSeconds", sinceSeconds.Value, "must be greater than 0"));
        }

        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add(FieldError.Forbidden(string.Empty, "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid("PodLogOptions", podName, errors);
        }

        return new PodLogQuery(
            QueryParameters.GetString(query, "container"),
            QueryParameters.GetBool(query, "follow"),
            QueryParameters.GetBool(query, "previous"),
            QueryParameters.GetBool(query, "timestamps"),
            tailLines,
            sinceTime ?? (sinceSeconds is { } seconds ? now.AddSeconds(-seconds) : null),
            limitBytes);
    }
}
