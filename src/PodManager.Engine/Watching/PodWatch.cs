using k8s.Models;

namespace PodManager.Engine.Watching;

/// <summary>
/// One caller's wait on one pod: <see cref="Current"/> is the latest known state (null once the pod is
/// gone), and <see cref="NextAsync"/> waits for the next change, or until a deadline the caller chooses,
/// so waits with timeouts sleep until something happens or the deadline passes, never in a poll loop.
/// </summary>
internal sealed class PodWatch(PodSubscription subscription, V1Pod? initial, TimeProvider timeProvider) : IDisposable
{
    public V1Pod? Current { get; private set; } = initial;

    /// <returns>True when the pod changed (or went away); false when <paramref name="within"/> passed first.</returns>
    public async Task<bool> NextAsync(TimeSpan? within, CancellationToken cancellationToken)
    {
        if (within is null)
        {
            Current = (await subscription.NextAsync(cancellationToken).ConfigureAwait(false)).Pod;
            return true;
        }

        if (within <= TimeSpan.Zero)
        {
            return false;
        }

        using var limit = new CancellationTokenSource(within.Value, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            Current = (await subscription.NextAsync(linked.Token).ConfigureAwait(false)).Pod;
            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => subscription.Dispose();
}
