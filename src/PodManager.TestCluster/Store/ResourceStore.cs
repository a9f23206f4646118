using k8s;
using k8s.Models;

namespace PodManager.TestCluster.Store;

/// <summary>
/// All objects of one kind, with a bounded history of changes for watch resumption. Every write takes the next
/// value of the shared <see cref="ResourceVersionClock"/> under this store's lock, so within a store resource
/// versions strictly increase and a list's version marks an exact point in its history.
/// </summary>
internal sealed class ResourceStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<ObjectKey, StoredObject<T>> objects = [];
    private readonly Queue<StoreEvent<T>> history = new();
    private readonly List<WatchSubscription<T>> subscribers = [];
    private readonly ResourceVersionClock clock;
    private readonly int historyLimit;
    private long compactedThrough;

    public ResourceStore(ResourceVersionClock clock, int historyLimit)
    {
        this.clock = clock;
        this.historyLimit = historyLimit;
    }

    public StoredObject<T>? Get(ObjectKey key)
    {
        lock (gate)
        {
            return objects.GetValueOrDefault(key);
        }
    }

    /// <summary>The objects (of one namespace, or all) in key order, and the resourceVersion the list is valid at.</summary>
    public (IReadOnlyList<StoredObject<T>> Items, long ResourceVersion) List(string? namespaceFilter)
    {
        lock (gate)
        {
            var items = namespaceFilter is null
                ? objects.Values.ToList()
                : objects.Values.Where(o => o.Key.Namespace == namespaceFilter).ToList();
            return (items, clock.Current);
        }
    }

    /// <summary>Adds the object, or returns null when the key is taken.</summary>
    public StoredObject<T>? TryCreate(T value)
    {
        lock (gate)
        {
            var key = new ObjectKey(value.Metadata.NamespaceProperty ?? string.Empty, value.Metadata.Name);
            if (objects.ContainsKey(key))
            {
                return null;
            }

            var stored = new StoredObject<T>(value, clock.Next());
            objects[key] = stored;
            Publish(new StoreEvent<T>(StoreEventType.Added, stored, null));
            return stored;
        }
    }

    /// <summary>
    /// Commits the version <paramref name="next"/> makes from the current one (null means no change). A version
    /// identical to the current one is not committed, as the real server skips no-op writes. Returns the
    /// resulting version, or null when the object is gone. The function runs under the store lock, so it may
    /// throw to reject the write.
    /// </summary>
    public StoredObject<T>? Update(ObjectKey key, Func<StoredObject<T>, T?> next)
    {
        lock (gate)
        {
            if (!objects.TryGetValue(key, out var current))
            {
                return null;
            }

            var value = next(current);
            if (value is null || current.HasSameContent(value))
            {
                return current;
            }

            var stored = new StoredObject<T>(value, clock.Next());
            objects[key] = stored;
            Publish(new StoreEvent<T>(StoreEventType.Modified, stored, current));
            return stored;
        }
    }

    /// <summary>Applies <paramref name="mutate"/> to a copy of the current version and commits it when the function
    /// returns true. See <see cref="Update"/>.</summary>
    public StoredObject<T>? Mutate(ObjectKey key, Func<T, bool> mutate) =>
        Update(key, current =>
        {
            var copy = current.Clone();
            return mutate(copy) ? copy : null;
        });

    /// <summary>Removes the object when <paramref name="precondition"/> accepts its current version; returns the
    /// removed state stamped with the delete's resourceVersion, or null when it was absent or refused.</summary>
    public StoredObject<T>? Delete(ObjectKey key, Func<StoredObject<T>, bool>? precondition = null)
    {
        lock (gate)
        {
            if (!objects.TryGetValue(key, out var current) || (precondition is not null && !precondition(current)))
            {
                return null;
            }

            objects.Remove(key);
            var deleted = current.WithResourceVersion(clock.Next());
            Publish(new StoreEvent<T>(StoreEventType.Deleted, deleted, current));
            return deleted;
        }
    }

    /// <summary>
    /// Starts a watch. Without a resourceVersion (or with 0) the current objects arrive first as synthetic ADDED
    /// events; with one, every retained change after it is replayed. Throws
    /// <see cref="ResourceVersionExpiredException"/> when the history no longer reaches back that far.
    /// </summary>
    public WatchSubscription<T> Watch(string? namespaceFilter, long? sinceResourceVersion, int maxBacklog)
    {
        lock (gate)
        {
            var subscription = new WatchSubscription<T>(namespaceFilter, maxBacklog, Unsubscribe);
            if (sinceResourceVersion is null or 0)
            {
                foreach (var stored in objects.Values.OrderBy(o => o.ResourceVersion))
                {
                    subscription.Publish(new StoreEvent<T>(StoreEventType.Added, stored, null));
                }
            }
            else
            {
                if (sinceResourceVersion < compactedThrough)
                {
                    throw new ResourceVersionExpiredException(sinceResourceVersion.Value, compactedThrough + 1);
                }

                foreach (var change in history.Where(e => e.ResourceVersion > sinceResourceVersion))
                {
                    subscription.Publish(change);
                }
            }

            subscription.StartResourceVersion = clock.Current;
            subscription.InitialEventCount = subscription.Events.Count;
            subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(WatchSubscription<T> subscription)
    {
        lock (gate)
        {
            subscribers.Remove(subscription);
        }
    }

    private void Publish(StoreEvent<T> change)
    {
        history.Enqueue(change);
        while (history.Count > historyLimit)
        {
            compactedThrough = history.Dequeue().ResourceVersion;
        }

        subscribers.RemoveAll(subscriber => !subscriber.Publish(change));
    }
}
