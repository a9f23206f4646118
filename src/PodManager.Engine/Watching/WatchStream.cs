using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;

namespace PodManager.Engine.Watching;

/// <summary>
/// The one decoder of a watch (<c>?watch=true</c>: one JSON object a line, <c>{"type": ..., "object": ...}</c>), for the pod
/// watch and the events watch alike. It yields <c>(type, object)</c> for ADDED, MODIFIED, DELETED and BOOKMARK, and keeps
/// the <see cref="ResourceVersion"/> to resume from (bookmarks advance it too). An ERROR event ends the stream as an
/// exception: <c>410 Expired</c> (the version asked for is older than the server keeps) as <see cref="WatchExpiredException"/>,
/// which means list again; any other as an <see cref="IOException"/>, a transient failure to resume from the last version.
/// A line cut off inside its JSON is such a failure too.
/// </summary>
internal sealed class WatchStream<T> : IAsyncDisposable
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly HttpResponseMessage? response;
    private readonly Stream stream;
    private readonly StreamReader reader;

    /// <summary>Reads a watch from <paramref name="stream"/>; <see cref="OpenAsync"/> opens one on the API server.</summary>
    internal WatchStream(Stream stream, string resourceVersion, HttpResponseMessage? response = null)
    {
        this.response = response;
        this.stream = stream;
        reader = new StreamReader(stream);
        ResourceVersion = resourceVersion;
    }

    /// <summary>The version to resume from: the last event's or bookmark's, or the one the watch started at.</summary>
    public string ResourceVersion { get; private set; }

    /// <summary>Whether the server sent anything at all (a bookmark or an ERROR too): the stream was not closed at once.</summary>
    public bool SawEvents { get; private set; }

    /// <summary>Starts a watch of <paramref name="collection"/> (<c>api/v1/namespaces/default/pods</c>) from <paramref name="resourceVersion"/>.</summary>
    /// <param name="timeout">How long the server keeps the watch open before it ends it (it is then resumed).</param>
    public static async Task<WatchStream<T>> OpenAsync(
        RawApi raw, string collection, string resourceVersion, TimeSpan timeout, string? fieldSelector, CancellationToken cancellationToken)
    {
        var uri = $"{collection}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)timeout.TotalSeconds}"
            + (fieldSelector is null ? "" : $"&fieldSelector={Uri.EscapeDataString(fieldSelector)}");
        var response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new WatchStream<T>(stream, resourceVersion, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The events until the server ends the watch.</summary>
    public async IAsyncEnumerable<(WatchEventType Type, T Object)> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            SawEvents = true;
            var (type, item) = Decode(line);
            if (item is null)
            {
                continue;
            }

            ResourceVersion = item.Metadata?.ResourceVersion ?? ResourceVersion;
            yield return (type, item);
        }
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync().ConfigureAwait(false);
        response?.Dispose();
    }

    /// <summary>One line's event; no object for a type this client does not know, which is skipped.</summary>
    private static (WatchEventType Type, T? Object) Decode(string line)
    {
        V1Status status;
        try
        {
            using var document = JsonDocument.Parse(line);
            var payload = document.RootElement.GetProperty("object").GetRawText();
            switch (document.RootElement.GetProperty("type").GetString())
            {
                case "ADDED":
                    return (WatchEventType.Added, KubernetesJson.Deserialize<T>(payload));
                case "MODIFIED":
                    return (WatchEventType.Modified, KubernetesJson.Deserialize<T>(payload));
                case "DELETED":
                    return (WatchEventType.Deleted, KubernetesJson.Deserialize<T>(payload));
                case "BOOKMARK":
                    return (WatchEventType.Bookmark, KubernetesJson.Deserialize<T>(payload));
                case "ERROR":
                    status = KubernetesJson.Deserialize<V1Status>(payload);
                    break;
                default:
                    return (default, default);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IOException("The watch sent a line that is not a whole event: it was cut, or is not JSON.", e);
        }

        throw status.Code == (int)HttpStatusCode.Gone
            ? new WatchExpiredException(status)
            : new IOException($"The watch reported an error: {status.Message} [{status.Code} {status.Reason}]");
    }
}

/// <summary>The server ended a watch with 410 Expired: the version to resume from is older than it keeps, so the caller lists again.</summary>
internal sealed class WatchExpiredException(V1Status status) : Exception($"The watch expired: {status.Message} [{status.Code} {status.Reason}]");
