using k8s;
using k8s.Models;
using PodManager.Engine.Api;

namespace PodManager.Engine.Watching;

/// <summary>
/// The pods of one namespace as the shared watch last saw them, and who waits on which (client-go's store and its event
/// handlers): <see cref="PodReflector"/> fills it, every change is published to the subscriptions of that pod, and what
/// the watch does about failures is relayed to every waiter's listener. Changes come with the run that made them: a run
/// that has been stopped is refused, so a watch still stopping cannot touch the cache of the one that replaced it.
/// </summary>
internal sealed class PodCache
{
    private readonly object gate = new();
    private readonly Dictionary<string, V1Pod> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PodSubscription>> subscribers = new(StringComparer.Ordinal);
    private readonly List<ApiCallListener.Listener?> listenersAwaitingSync = [];
    private string? resourceVersion;
    private TaskCompletionSource synced = NewSyncSource();

    /// <summary>Completes once the cache holds a complete list; fails when the watch fails for everyone.</summary>
    public Task Synced
    {
        get
        {
            lock (gate)
            {
                return synced.Task;
            }
        }
    }

    /// <summary>
    /// Takes the namespace's full list: pods not in it are gone, and each one changed since the cache last saw it is
    /// published. A pod known at a version newer than the list was created (or changed) after the list was taken, so its
    /// absence says nothing: the watch that starts from the list's version brings it, or its deletion.
    /// </summary>
    public void Replace(IReadOnlyDictionary<string, V1Pod> listed, string listVersion, CancellationToken run)
    {
        lock (gate)
        {
            run.ThrowIfCancellationRequested();
            foreach (var name in pods.Keys.Where(n => !listed.ContainsKey(n) && !ResourceVersions.IsNewer(pods[n].Metadata.ResourceVersion, listVersion)).ToList())
            {
                pods.Remove(name);
                Publish(name, new PodSnapshot(null, Deleted: true));
            }

            foreach (var (name, pod) in listed)
            {
                var changed = !pods.TryGetValue(name, out var old) || old.Metadata.ResourceVersion != pod.Metadata.ResourceVersion;
                pods[name] = pod;
                if (changed)
                {
                    Publish(name, new PodSnapshot(pod, Deleted: false));
                }
            }

            resourceVersion = listVersion;

            // Subscribers that got their pod by a GET or a create's answer, not from the cache, must still hear that it is
            // gone, unless they know it at a version newer than the list.
            foreach (var name in subscribers.Keys.Where(n => !listed.ContainsKey(n) && !pods.ContainsKey(n)).ToList())
            {
                foreach (var subscription in subscribers[name].Where(s => !ResourceVersions.IsNewer(s.KnownVersion, listVersion)))
                {
                    subscription.Publish(new PodSnapshot(null, Deleted: true));
                }
            }

            synced.TrySetResult();
        }
    }

    /// <summary>Applies one watch event (a bookmark changes no pod) and publishes it.</summary>
    public void Apply(WatchEventType type, V1Pod pod, CancellationToken run)
    {
        if (type is not (WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted))
        {
            return;
        }

        lock (gate)
        {
            run.ThrowIfCancellationRequested();
            resourceVersion = pod.Metadata.ResourceVersion;
            var name = pod.Metadata.Name;
            var deleted = type == WatchEventType.Deleted;
            if (deleted)
            {
                pods.Remove(name);
            }
            else
            {
                pods[name] = pod;
            }

            Publish(name, new PodSnapshot(deleted ? null : pod, deleted));
        }
    }

    /// <summary>Forgets every pod: the watch stopped, so what the cache holds would go stale.</summary>
    public void Clear()
    {
        lock (gate)
        {
            pods.Clear();
            synced = NewSyncSource();
        }
    }

    /// <summary>The watch gave up: every subscription and everyone waiting for the list fails with <paramref name="error"/>.</summary>
    public void Fail(PodManagerException error)
    {
        lock (gate)
        {
            foreach (var subscription in subscribers.Values.SelectMany(s => s).ToList())
            {
                subscription.Fail(error);
            }

            synced.TrySetException(error);
            synced = NewSyncSource();
            pods.Clear();
        }
    }

    /// <summary>Counts <paramref name="listener"/> among those to hear of the watch's failures while it waits for the list.</summary>
    public void AwaitSync(ApiCallListener.Listener? listener)
    {
        lock (gate)
        {
            listenersAwaitingSync.Add(listener);
        }
    }

    /// <summary>Subscribes to one pod, once <see cref="Synced"/>: its cached state, then every change.</summary>
    public PodSubscription Subscribe(string name, ApiCallListener.Listener? listener, Action<PodSubscription> unsubscribe)
    {
        lock (gate)
        {
            listenersAwaitingSync.Remove(listener);
            var subscription = new PodSubscription(name, pods.GetValueOrDefault(name), resourceVersion, (Action<PodSubscription>)Unsubscribe + unsubscribe) { Listener = listener };
            if (!subscribers.TryGetValue(name, out var list))
            {
                subscribers[name] = list = [];
            }

            list.Add(subscription);
            return subscription;
        }
    }

    /// <summary>A waiter stopped waiting for the list.</summary>
    public void StopAwaitingSync(ApiCallListener.Listener? listener)
    {
        lock (gate)
        {
            listenersAwaitingSync.Remove(listener);
        }
    }

    /// <summary>Tells every waiter's listener, subscribed or waiting for the list, once each.</summary>
    public void Relay(Action<ApiCallListener.Listener> tell)
    {
        List<ApiCallListener.Listener> listeners;
        lock (gate)
        {
            listeners = subscribers.Values.SelectMany(s => s).Select(s => s.Listener).Concat(listenersAwaitingSync)
                .OfType<ApiCallListener.Listener>().Distinct().ToList();
        }

        foreach (var listener in listeners)
        {
            tell(listener);
        }
    }

    private static TaskCompletionSource NewSyncSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Unsubscribe(PodSubscription subscription)
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(subscription.Name, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                subscribers.Remove(subscription.Name);
            }
        }
    }

    private void Publish(string name, PodSnapshot snapshot)
    {
        if (subscribers.TryGetValue(name, out var list))
        {
            foreach (var subscription in list)
            {
                subscription.Publish(snapshot);
            }
        }
    }
}
