using System.Threading.Channels;
using k8s.Models;

namespace PodManager.Engine.Watching;

/// <summary>
/// One waiter's view of one pod: the cached state when it subscribed, then every change in order.
/// Unbounded because a pod changes a handful of times and a waiter must never miss a transition.
/// </summary>
internal sealed class PodSubscription : IDisposable
{
    private readonly Channel<PodSnapshot> changes = Channel.CreateUnbounded<PodSnapshot>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<PodSubscription> unsubscribe;
    private int disposed;

    public PodSubscription(string name, V1Pod? initial, Action<PodSubscription> unsubscribe)
    {
        Name = name;
        Initial = initial;
        this.unsubscribe = unsubscribe;
    }

    public string Name { get; }

    /// <summary>The informer's cached state at subscription time; null when the informer has not seen the pod.</summary>
    public V1Pod? Initial { get; }

    public ValueTask<PodSnapshot> NextAsync(CancellationToken cancellationToken) => changes.Reader.ReadAsync(cancellationToken);

    internal void Publish(PodSnapshot snapshot) => changes.Writer.TryWrite(snapshot);

    internal void Fail(Exception error) => changes.Writer.TryComplete(error);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            changes.Writer.TryComplete();
            unsubscribe(this);
        }
    }
}
