namespace PodManager.TestCluster.ApiServer.Watch;

/// <summary>The fault API's handle on open watches: end them all now, or expire the next one.</summary>
internal sealed class WatchRegistry
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _generation = new();
    private int _expireNext;

    /// <summary>A token that fires when <see cref="CloseAll"/> is called after it was taken.</summary>
    public CancellationToken CloseToken
    {
        get
        {
            lock (_gate)
            {
                return _generation.Token;
            }
        }
    }

    public void CloseAll()
    {
        CancellationTokenSource closed;
        lock (_gate)
        {
            closed = _generation;
            _generation = new CancellationTokenSource();
        }

        closed.Cancel();
    }

    public void ExpireNext() => Interlocked.Exchange(ref _expireNext, 1);

    public bool TryConsumeExpiry() => Interlocked.Exchange(ref _expireNext, 0) == 1;
}
