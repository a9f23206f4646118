namespace PodManager.TestCluster.Controllers;

/// <summary>
/// What every controller shares: a loop started once the cluster serves, and stopped and awaited when it stops.
/// A controller subscribes to the watches it reads in <see cref="Start"/>, before its loop runs, so no change made
/// after the start is missed.
/// </summary>
internal abstract class Controller : IAsyncDisposable
{
    private readonly CancellationTokenSource shutdown = new();
    private Task loop = Task.CompletedTask;

    public abstract void Start();

    public async ValueTask DisposeAsync()
    {
        await shutdown.CancelAsync();
        await loop;
        shutdown.Dispose();
    }

    /// <summary>Runs <paramref name="body"/> in the background until the cluster stops.</summary>
    protected void Run(Func<CancellationToken, Task> body) =>
        loop = Task.Run(async () =>
        {
            try
            {
                await body(shutdown.Token);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                // The cluster is stopping.
            }
        });
}
