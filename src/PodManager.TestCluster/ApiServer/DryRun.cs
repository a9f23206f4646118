using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer;

/// <summary>The <c>dryRun</c> option of writes (query or options body): <c>All</c> runs every stage of the request
/// (decoding, defaults, admission, validation, conflicts) but stores nothing; any other value is refused as
/// ValidateCreateOptions (and its siblings) refuse it.</summary>
internal static class DryRun
{
    /// <summary>True for <c>dryRun=All</c>; <paramref name="optionsKind"/> names the options in the error, e.g. CreateOptions.</summary>
    public static bool Requested(HttpContext context, string optionsKind, IEnumerable<string>? bodyValues = null)
    {
        var values = QueryParameters.GetAll(context.Request.Query, "dryRun").Concat(bodyValues ?? []).ToList();
        if (values.Any(v => v != "All"))
        {
            var printed = "[]string{" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "}";
            throw ApiErrors.Invalid($"{optionsKind}.meta.k8s.io", string.Empty, [new FieldError("dryRun", "FieldValueNotSupported", $"Unsupported value: {printed}: supported values: \"All\"")]);
        }

        return values.Count > 0;
    }
}
