using System.Text;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Watch;

/// <summary>
/// Serves a watch: one compact JSON event per line, headers flushed at once and every event flushed, selector
/// transitions as ADDED/DELETED, 410 Expired as an ERROR event in a 200 response, bookmarks only when asked.
/// </summary>
internal sealed class WatchStreamer(WatchRegistry registry, TimeProvider time, TimeSpan bookmarkInterval, int maxBacklog)
{
    private static readonly byte[] LineEnd = "}\n"u8.ToArray();

    public WatchRegistry Registry { get; } = registry;

    public async Task StreamAsync<T>(
        HttpContext context,
        string kind,
        ResourceStore<T> store,
        string? namespaceFilter,
        Func<T, bool> matches,
        WatchRequest request,
        Func<StoredObject<T>, byte[]> render,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var timeout = request.Timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, Registry.CloseToken);
        var token = linked.Token;

        await StartAsync(context, cancellationToken);
        if (request.ResourceVersion is > 0 && Registry.TryConsumeExpiry())
        {
            await WriteExpiredAsync(context, request.ResourceVersion.Value, store, cancellationToken);
            return;
        }

        WatchSubscription<T> subscription;
        try
        {
            var skipInitialState = request.ResourceVersion is null && request.SendInitialEvents == false;
            subscription = store.Watch(namespaceFilter, skipInitialState ? store.List(null).ResourceVersion : request.ResourceVersion, maxBacklog);
        }
        catch (ResourceVersionExpiredException expired)
        {
            await WriteLineAsync(context, "ERROR", ApiErrors.Expired(expired.Message).ToJson(), cancellationToken);
            return;
        }

        using (subscription)
        {
            await PumpAsync(context, kind, subscription, matches, request, render, token);
        }
    }

    private async Task PumpAsync<T>(
        HttpContext context,
        string kind,
        WatchSubscription<T> subscription,
        Func<T, bool> matches,
        WatchRequest request,
        Func<StoredObject<T>, byte[]> render,
        CancellationToken token)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var lastResourceVersion = subscription.StartResourceVersion;
        var initialEventsLeft = request.SendInitialEvents == true ? subscription.InitialEventCount : -1;
        try
        {
            if (initialEventsLeft == 0)
            {
                await WriteBookmarkAsync(context, kind, lastResourceVersion, initialEventsEnd: true, token);
            }

            var reader = subscription.Events;
            Task<bool>? ready = null;
            var bookmarkDue = request.AllowBookmarks ? Task.Delay(bookmarkInterval, time, token) : null;
            while (true)
            {
                ready ??= reader.WaitToReadAsync(token).AsTask();
                if (bookmarkDue is not null && await Task.WhenAny(ready, bookmarkDue) == bookmarkDue)
                {
                    await bookmarkDue;
                    await WriteBookmarkAsync(context, kind, lastResourceVersion, initialEventsEnd: false, token);
                    bookmarkDue = Task.Delay(bookmarkInterval, time, token);
                    continue;
                }

                var hasEvents = await ready;
                ready = null;
                if (!hasEvents)
                {
                    return;
                }

                while (reader.TryRead(out var change))
                {
                    if (Translate(change, matches) is { } translated)
                    {
                        await WriteLineAsync(context, translated.Type, render(translated.Object), token);
                    }

                    lastResourceVersion = Math.Max(lastResourceVersion, change.ResourceVersion);
                    if (initialEventsLeft > 0 && --initialEventsLeft == 0)
                    {
                        await WriteBookmarkAsync(context, kind, subscription.StartResourceVersion, initialEventsEnd: true, token);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A timeout, a closed connection or the fault API: the stream just ends, as on a real server.
        }
        catch (WatchOverflowException)
        {
            // The watcher fell behind; ending the stream makes the client re-watch.
        }
    }

    /// <summary>How one change looks to a watcher with this filter (k8s storage cacher convertToWatchEvent).</summary>
    private static (string Type, StoredObject<T> Object)? Translate<T>(StoreEvent<T> change, Func<T, bool> matches)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        switch (change.Type)
        {
            case StoreEventType.Added:
                return matches(change.Object.Value) ? ("ADDED", change.Object) : null;
            case StoreEventType.Deleted:
                return matches(change.Object.Value) ? ("DELETED", change.Object) : null;
        }

        var now = matches(change.Object.Value);
        var before = change.Previous is not null && matches(change.Previous.Value);
        return (before, now) switch
        {
            (true, true) => ("MODIFIED", change.Object),
            (false, true) => ("ADDED", change.Object),
            (true, false) => ("DELETED", change.Previous!.WithResourceVersion(change.ResourceVersion)),
            _ => null,
        };
    }

    private static async Task StartAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = ApiResponses.Json;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteExpiredAsync<T>(HttpContext context, long requested, ResourceStore<T> store, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var status = ApiErrors.Expired($"too old resource version: {requested} ({store.List(null).ResourceVersion})");
        await WriteLineAsync(context, "ERROR", status.ToJson(), cancellationToken);
    }

    private static Task WriteBookmarkAsync(HttpContext context, string kind, long resourceVersion, bool initialEventsEnd, CancellationToken cancellationToken)
    {
        var annotations = initialEventsEnd ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : string.Empty;
        var json = $"{{\"kind\":\"{kind}\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\",\"creationTimestamp\":null{annotations}}}}}";
        return WriteLineAsync(context, "BOOKMARK", Encoding.UTF8.GetBytes(json), cancellationToken);
    }

    private static async Task WriteLineAsync(HttpContext context, string type, byte[] objectJson, CancellationToken cancellationToken)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        ResponseSchemaCheck.For(context)?.CheckWatchEvent(context, [.. prefix, .. objectJson, .. LineEnd]);
        var body = context.Response.Body;
        await body.WriteAsync(prefix, cancellationToken);
        await body.WriteAsync(objectJson, cancellationToken);
        await body.WriteAsync(LineEnd, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
