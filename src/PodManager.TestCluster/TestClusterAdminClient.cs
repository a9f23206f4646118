using System.Text.Json;
using PodManager.TestCluster.Faults;

namespace PodManager.TestCluster;

/// <summary>
/// A typed client for the cluster's fault API (<c>/_testcluster/…</c>): inject faults, cut watches, simulate an
/// outage, kill or evict containers, and read the request counters. Get one from
/// <see cref="TestClusterServer.Admin"/>, or build one for a cluster started elsewhere.
/// </summary>
public sealed class TestClusterAdminClient : IDisposable
{
    private readonly HttpClient http;

    /// <summary>A client over an HttpClient that already reaches the cluster with the full-access token.</summary>
    public TestClusterAdminClient(HttpClient http) => this.http = http;

    /// <summary>Adds a fault rule (POST /_testcluster/faults).</summary>
    public Task AddFaultAsync(FaultRule rule, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "faults", rule, cancellationToken);

    /// <summary>Removes every fault rule (DELETE /_testcluster/faults).</summary>
    public Task ClearFaultsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "faults", null, cancellationToken);

    /// <summary>Ends every open watch now (POST /_testcluster/watches/close).</summary>
    public Task CloseWatchesAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "watches/close", null, cancellationToken);

    /// <summary>Makes the next watch with a resourceVersion answer ERROR 410 Expired (POST /_testcluster/watches/expire).</summary>
    public Task ExpireNextWatchAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "watches/expire", null, cancellationToken);

    /// <summary>Refuses and resets every connection for <paramref name="duration"/>; state is kept (POST /_testcluster/outage).</summary>
    public Task StartOutageAsync(TimeSpan duration, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "outage", new { seconds = duration.TotalSeconds }, cancellationToken);

    /// <summary>Kills a running container and records the given exit code and reason, e.g. 137 and OOMKilled.</summary>
    public Task TerminateContainerAsync(string ns, string pod, string container, int exitCode = 137, string reason = "OOMKilled", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"pods/{Escape(ns)}/{Escape(pod)}/containers/{Escape(container)}/terminate", new { exitCode, reason }, cancellationToken);

    /// <summary>Evicts a pod as the kubelet does under node pressure: phase Failed, reason Evicted.</summary>
    public Task EvictPodAsync(string ns, string pod, string? message = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"pods/{Escape(ns)}/{Escape(pod)}/evict", new { message }, cancellationToken);

    /// <summary>The fault rules still active, each with the uses it has left (GET /_testcluster/faults).</summary>
    public async Task<IReadOnlyList<ActiveFault>> GetFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"{FaultPipeline.AdminPrefix}/faults", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<ActiveFault>>(JsonSerializerOptions.Web, cancellationToken) ?? [];
    }

    /// <summary>Requests served since the last reset, by verb and resource, e.g. <c>create pods</c>, <c>watch pods</c>, <c>get pods/log</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetRequestCountsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("/_testcluster/requests", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<Dictionary<string, long>>(cancellationToken) ?? [];
    }

    /// <summary>Puts new tokens in the token file and behind the exec plugin; the previous ones stop working after
    /// <paramref name="grace"/> (at once by default). POST /_testcluster/credentials/rotate.</summary>
    public Task RotateCredentialsAsync(TimeSpan grace = default, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "credentials/rotate", new { graceSeconds = grace.TotalSeconds }, cancellationToken);

    /// <summary>Every token with a lifetime (the expiring, token-file and exec-plugin users') stops working now and is
    /// not renewed until the next rotation. POST /_testcluster/credentials/expire.</summary>
    public Task ExpireCredentialsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "credentials/expire", null, cancellationToken);

    /// <summary>A new bearer token for any user name and groups, valid for <paramref name="lifetime"/> or for ever
    /// (POST /_testcluster/tokens). Bind roles to the user to let it do something.</summary>
    public async Task<string> IssueTokenAsync(string user, IEnumerable<string>? groups = null, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(
            $"{FaultPipeline.AdminPrefix}/tokens",
            new { user, groups = groups?.ToArray(), lifetimeSeconds = lifetime?.TotalSeconds },
            JsonSerializerOptions.Web,
            cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("token").GetString()!;
    }

    /// <summary>Resets the request counters (DELETE /_testcluster/requests).</summary>
    public Task ResetRequestCountsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "requests", null, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, $"{FaultPipeline.AdminPrefix}/{path}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonSerializerOptions.Web);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"The fault API answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
