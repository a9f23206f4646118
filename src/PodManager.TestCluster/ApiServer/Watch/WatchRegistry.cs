namespace PodManager.TestCluster.ApiServer.Watch;

/// <summary>The fault API's handle on open watches: end them all now, or expire the next one.</summary>
internal sealed class WatchRegistry
{
    private readonly Lock gate = new();
    private CancellationTokenSource generation = new();
    private int expireNext;

    /// <summary>A token that fires when <see cref="CloseAll"/> is called after it was taken.</summary>
    public CancellationToken CloseToken
    {
        get
        {
            lock (gate)
            {
                return generation.Token;
            }
        }
    }

    public void CloseAll()
    {
        CancellationTokenSource closed;
        lock (gate)
        {
            closed = generation;
            generation = new CancellationTokenSource();
        }

        closed.Cancel();
    }

    public void ExpireNext() => Interlocked.Exchange(ref expireNext, 1);

    public bool TryConsumeExpiry() => Interlocked.Exchange(ref expireNext, 0) == 1;
}
