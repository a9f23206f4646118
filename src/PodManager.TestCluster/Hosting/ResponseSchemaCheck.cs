using System.Collections.Concurrent;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.Hosting;

/// <summary>
/// The test-suite mode of <see cref="TestClusterOptions.SchemaCheckDirectory"/>: every JSON object the cluster sends
/// (response bodies, watch events, exec statuses) is validated against the Kubernetes OpenAPI schema of its kind
/// (<see cref="SchemaValidator"/>). Each violation is written to <paramref name="log"/> (stderr) at once with the
/// request that produced it;
/// when the cluster stops, the count of validated objects and the violations go to a report file in the directory
/// (build.ps1 adds them up), and any violation fails the cluster's disposal.
/// </summary>
internal sealed class ResponseSchemaCheck(string reportDirectory, TextWriter log)
{
    // Not Kubernetes objects: the fault API's own answers and the OpenAPI documents.
    private static readonly string[] ExemptPrefixes = ["/_testcluster", "/openapi"];

    private readonly ConcurrentQueue<string> violations = new();
    private long validated;

    public IReadOnlyCollection<string> Violations => violations;

    public long Validated => Interlocked.Read(ref validated);

    public static ResponseSchemaCheck? For(HttpContext context) => context.RequestServices.GetService<ResponseSchemaCheck>();

    /// <summary>A response body: an object of a kind, or the <c>/version</c> document.</summary>
    public void CheckResponse(HttpContext context, int statusCode, ReadOnlySpan<byte> json)
    {
        var path = context.Request.Path.Value ?? "/";
        if (ExemptPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return;
        }

        Check(context, $"{statusCode}", json, root =>
        {
            var found = new List<string>();
            if (path.TrimEnd('/') == "/version" && statusCode == 200)
            {
                SchemaValidator.Validate(root, ApiTypes.Instance.Get("io.k8s.apimachinery.pkg.version.Info"), "version.Info", string.Empty, found);
            }
            else
            {
                SchemaValidator.ValidateObject(root, found);
            }

            return found;
        });
    }

    /// <summary>One event of a watch stream, <c>{"type":…,"object":…}</c>.</summary>
    public void CheckWatchEvent(HttpContext context, ReadOnlySpan<byte> eventJson) =>
        Check(context, "watch event", eventJson, root =>
        {
            var found = new List<string>();
            SchemaValidator.Validate(root, ApiTypes.Instance.Get($"{ApiTypes.MetaPackage}.WatchEvent"), "WatchEvent", string.Empty, found);
            return found;
        });

    /// <summary>The Status an exec session ends with (the kubelet sends it without apiVersion and kind).</summary>
    public void CheckExecStatus(HttpContext context, ReadOnlySpan<byte> statusJson) =>
        Check(context, "exec status", statusJson, root =>
        {
            var found = new List<string>();
            SchemaValidator.Validate(root, ApiTypes.Instance.Get($"{ApiTypes.MetaPackage}.Status"), "Status", string.Empty, found);
            return found;
        });

    /// <summary>Writes the report file: <c>{"validated":N,"violations":[…]}</c>.</summary>
    public async Task WriteReportAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(reportDirectory);
        var file = Path.Combine(reportDirectory, $"testcluster-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["validated"] = Validated,
            ["violations"] = violations.ToArray(),
        }), cancellationToken);
    }

    private void Check(HttpContext context, string what, ReadOnlySpan<byte> json, Func<JsonElement, List<string>> validate)
    {
        List<string> found;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            found = validate(document.RootElement);
        }
        catch (JsonException error)
        {
            found = [$"not JSON: {error.Message}"];
        }

        Interlocked.Increment(ref validated);
        var request = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} ({what})";
        foreach (var violation in found)
        {
            var line = $"schema violation: {request}: {violation}";
            violations.Enqueue(line);
            log.WriteLine($"testcluster: {line}");
        }
    }
}
