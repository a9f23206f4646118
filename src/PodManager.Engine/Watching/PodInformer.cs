using k8s;
using PodManager.Engine.Api;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Watching;

/// <summary>
/// One shared watch of a namespace's pods that feeds every waiter in the process (client-go's shared informer): a
/// <see cref="PodReflector"/> keeps a <see cref="PodCache"/> current, and waiters subscribe to the cache. It runs only
/// while someone subscribes, plus a short linger so a pipeline's next cmdlet reuses it. What the watch does about
/// failures reaches every waiter through its own <see cref="ApiCallListener"/>; when the watch gives up
/// (ClusterUnreachable), every waiter fails with that error.
/// </summary>
internal sealed class PodInformer : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly PodCache cache = new();
    private readonly PodReflector reflector;
    private readonly PodManagerOptions options;

    private int activeSubscriptions;
    private CancellationTokenSource? running;
    private Task? loop;
    private ITimer? lingerTimer;

    public PodInformer(Kubernetes client, RawApi raw, string ns, PodManagerOptions options, RetryPolicy retry, ServerReachability reachability, string server, WatchScope scope = WatchScope.Namespace, string? podName = null)
    {
        this.options = options;
        Scope = scope;
        reflector = new PodReflector(client, raw, ns, options, retry, reachability, server, scope, podName);
    }

    /// <summary>What the informer follows: the namespace, or one pod (<see cref="WatchScope"/>).</summary>
    public WatchScope Scope { get; }

    /// <summary>Watch requests this informer has made; lets tests and benchmarks count reconnects.</summary>
    public int WatchRequests => reflector.WatchRequests;

    /// <summary>Whether the watch runs and has listed the namespace, so a subscription costs no request at all.</summary>
    public bool IsLive
    {
        get
        {
            lock (gate)
            {
                return loop is not null && running?.IsCancellationRequested == false && cache.Synced.IsCompletedSuccessfully;
            }
        }
    }

    /// <summary>Subscribes to one pod once the informer has a complete list of the namespace.</summary>
    public async Task<PodSubscription> SubscribeAsync(string name, CancellationToken cancellationToken)
    {
        Task syncTask;
        var listener = ApiCallListener.Captured;
        lock (gate)
        {
            activeSubscriptions++;
            lingerTimer?.Dispose();
            lingerTimer = null;
            EnsureRunning();
            syncTask = cache.Synced;
            cache.AwaitSync(listener);
        }

        try
        {
            await syncTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            cache.StopAwaitingSync(listener);
            Release();
            throw;
        }

        return cache.Subscribe(name, listener, _ => Release());
    }

    public async ValueTask DisposeAsync()
    {
        Task? stopping;
        lock (gate)
        {
            lingerTimer?.Dispose();
            running?.Cancel();
            stopping = loop;
        }

        if (stopping is not null)
        {
            await stopping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void EnsureRunning()
    {
        if (loop is not null && running?.IsCancellationRequested == false)
        {
            return;
        }

        // A run that is still stopping is cancelled, so the cache refuses its changes; start afresh.
        cache.Clear();
        running = new CancellationTokenSource();
        var token = running.Token;

        // The loop outlives the caller that started it: it must not carry that caller's async-local
        // state (its -Verbose listener) into calls made for every later waiter.
        using (ExecutionContext.SuppressFlow())
        {
            loop = Task.Run(() => RunAsync(token));
        }
    }

    private async Task RunAsync(CancellationToken run)
    {
        // The loop runs outside every caller's flow; what it does is relayed to each waiter's own listener.
        using var relay = ApiCallListener.Listen(
            call => cache.Relay(listener => listener.OnCall(call)),
            note => cache.Relay(listener => listener.OnNote?.Invoke(note)));
        try
        {
            await reflector.RunAsync(cache, run).ConfigureAwait(false);
        }
        catch (PodManagerException error)
        {
            Stop(run, error);
            return;
        }

        Stop(run, error: null);
    }

    /// <summary>The run ended: the cache forgets it, or, when the watch gave up, fails every waiter with <paramref name="error"/>.</summary>
    private void Stop(CancellationToken run, PodManagerException? error)
    {
        lock (gate)
        {
            if (running?.Token != run)
            {
                return;
            }

            if (error is null)
            {
                cache.Clear();
            }
            else
            {
                cache.Fail(error);
            }

            loop = null;
        }
    }

    private void Release()
    {
        lock (gate)
        {
            if (--activeSubscriptions > 0 || loop is null)
            {
                return;
            }

            lingerTimer?.Dispose();
            lingerTimer = options.TimeProvider.CreateTimer(_ => StopIfIdle(), null, options.InformerLinger, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopIfIdle()
    {
        lock (gate)
        {
            if (activeSubscriptions > 0)
            {
                return;
            }

            running?.Cancel();
        }
    }
}
