using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace PodManager.TestCluster.Store;

/// <summary>
/// A gap-free feed of a store's changes from a starting point. The store writes into it under its lock, so the
/// order is the commit order; a reader that falls too far behind is cut off, as a real API server drops slow
/// watchers, instead of letting memory grow.
/// </summary>
internal sealed class WatchSubscription<T> : IDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Channel<StoreEvent<T>> events = Channel.CreateUnbounded<StoreEvent<T>>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private readonly Action<WatchSubscription<T>> unsubscribe;
    private readonly int maxBacklog;

    public WatchSubscription(string? namespaceFilter, int maxBacklog, Action<WatchSubscription<T>> unsubscribe)
    {
        NamespaceFilter = namespaceFilter;
        this.maxBacklog = maxBacklog;
        this.unsubscribe = unsubscribe;
    }

    public string? NamespaceFilter { get; }

    /// <summary>The resourceVersion of the store when the watch began; replayed and synthetic events are at or below it.</summary>
    public long StartResourceVersion { get; internal set; }

    /// <summary>How many events were queued when the watch began (synthetic ADDED events or the replay).</summary>
    public int InitialEventCount { get; internal set; }

    public ChannelReader<StoreEvent<T>> Events => events.Reader;

    /// <summary>Called by the store under its lock; returns false once the subscriber has been cut off.</summary>
    internal bool Publish(StoreEvent<T> storeEvent)
    {
        if (NamespaceFilter is not null && storeEvent.Object.Key.Namespace != NamespaceFilter)
        {
            return true;
        }

        if (events.Reader.Count >= maxBacklog)
        {
            events.Writer.TryComplete(new WatchOverflowException());
            return false;
        }

        return events.Writer.TryWrite(storeEvent);
    }

    public void Dispose()
    {
        events.Writer.TryComplete();
        unsubscribe(this);
    }
}

internal sealed class WatchOverflowException() : Exception("The watcher fell too far behind and was closed.");

internal sealed class ResourceVersionExpiredException(long requested, long oldestAvailable)
    : Exception($"too old resource version: {requested} ({oldestAvailable})");
