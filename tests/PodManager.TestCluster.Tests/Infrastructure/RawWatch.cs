using System.Text.Json;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>A watch read line by line over raw HTTP, to check the wire framing itself.</summary>
public sealed class RawWatch : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private RawWatch(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public HttpResponseMessage Response => response;

    /// <summary>Starts the watch; returns as soon as the response headers arrive.</summary>
    public static async Task<RawWatch> StartAsync(HttpClient http, string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new RawWatch(response, new StreamReader(stream));
    }

    /// <summary>The next raw line, or null at the end of the stream.</summary>
    public async Task<string?> NextLineAsync(CancellationToken cancellationToken) => await reader.ReadLineAsync(cancellationToken);

    /// <summary>The next event as (type, object).</summary>
    public async Task<(string Type, JsonElement Object)> NextAsync(CancellationToken cancellationToken)
    {
        var line = await NextLineAsync(cancellationToken) ?? throw new EndOfStreamException("The watch ended.");
        var root = JsonDocument.Parse(line).RootElement.Clone();
        return (root.GetProperty("type").GetString()!, root.GetProperty("object"));
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        await Task.CompletedTask;
    }
}
