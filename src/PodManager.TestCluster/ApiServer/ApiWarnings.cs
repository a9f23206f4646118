namespace PodManager.TestCluster.ApiServer;

/// <summary>Warnings to the client, as the API server sends them: one <c>Warning: 299 - "text"</c> header each,
/// with <c>"</c> and <c>\</c> escaped (k8s.io/apimachinery/pkg/util/net NewWarningHeader); kubectl prints them as
/// <c>Warning: text</c>.</summary>
internal static class ApiWarnings
{
    public static void Add(HttpContext context, string text) =>
        context.Response.Headers.Append("Warning", $"299 - \"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
}
