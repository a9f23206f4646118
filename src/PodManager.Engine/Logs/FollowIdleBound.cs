namespace PodManager.Engine.Logs;

/// <summary>
/// Bounds how long a follow waits on a silent stream once its container has ended. The kubelet ends a follow
/// stream when the container ends, but a misbehaving kubelet or proxy can keep it open without a byte, and the
/// follow would then wait for ever (Airflow's read timeout is 300 s, and its post-termination check only runs
/// after a chunk arrives). The container's end is taken from the shared watch, started at the first read that
/// has to wait; a read then given up is no loss, since the reader fetches the rest of the log with plain reads.
/// </summary>
internal sealed class FollowIdleBound(Func<CancellationToken, Task> containerEnd, TimeSpan idleTimeout, TimeProvider timeProvider) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? ended;

    /// <summary>
    /// Waits for <paramref name="read"/>; false when the container has ended and the stream then delivered
    /// nothing for the idle timeout, so the read should be given up.
    /// </summary>
    public async Task<bool> WaitAsync(Task read)
    {
        ended ??= containerEnd(stop.Token);
        if (!ended.IsCompleted)
        {
            await Task.WhenAny(read, ended).ConfigureAwait(false);
        }

        if (read.IsCompleted)
        {
            return true;
        }

        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var idle = Task.Delay(idleTimeout, timeProvider, quiet.Token);
        var first = await Task.WhenAny(read, idle).ConfigureAwait(false);
        await quiet.CancelAsync().ConfigureAwait(false);
        await idle.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return first == read;
    }

    /// <summary>After a stream given up for a container that had not ended after all (it restarted): watch for its next end.</summary>
    public void Rearm()
    {
        if (ended is { IsCompleted: true })
        {
            ended = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (ended is not null)
        {
            await ended.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stop.Dispose();
    }
}
