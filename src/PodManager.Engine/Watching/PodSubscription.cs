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
    private string? knownVersion;

    public PodSubscription(string name, V1Pod? initial, string? resourceVersion, Action<PodSubscription> unsubscribe)
    {
        Name = name;
        Initial = initial;
        ResourceVersion = resourceVersion;
        this.unsubscribe = unsubscribe;
    }

    public string Name { get; }

    /// <summary>The subscriber's listener (its -Verbose), to hear what the shared watch does about failures.</summary>
    public Api.ApiCallListener.Listener? Listener { get; init; }

    /// <summary>The informer's cached state at subscription time; null when the informer has not seen the pod.</summary>
    public V1Pod? Initial { get; }

    /// <summary>How far the informer had got when the subscription began: the last resourceVersion it had seen.</summary>
    public string? ResourceVersion { get; }

    /// <summary>Whether the informer is behind <paramref name="other"/>, so a pod known at that version that it has not seen will still arrive.</summary>
    public bool IsBehind(string? other) => ResourceVersions.IsNewer(other, ResourceVersion);

    /// <summary>
    /// The resourceVersion of the pod as the waiter first knew it (from the cache, a create's answer or a GET): a list
    /// older than that which lacks the pod was taken before the pod was created, and does not mean that it is gone.
    /// </summary>
    public string? KnownVersion
    {
        get => Volatile.Read(ref knownVersion);
        set => Volatile.Write(ref knownVersion, value);
    }

    public async ValueTask<PodSnapshot> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await changes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is PodManagerException failure)
        {
            // The watch failed for every waiter (the cluster unreachable too long): that failure is the waiter's error.
            throw failure;
        }
    }

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
