using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Watching;

/// <summary>
/// One list+watch of a namespace's pods that feeds every waiter in the process (the informer of
/// client-go). It resumes a dropped watch from the last resourceVersion, relists on 410 Expired,
/// and tells subscribers about every change, including pods that vanished while it relisted.
/// It runs only while someone subscribes, plus a short linger so a pipeline's next cmdlet reuses it.
/// Unlike client-go's, it does not retry for ever: once the API server has been unreachable for
/// <see cref="PodManagerOptions.UnreachableTimeout"/> (at once, if it never answered), every waiter fails,
/// and each waiter hears of every reconnect attempt through its own <see cref="ApiCallListener"/>.
/// </summary>
internal sealed class PodInformer : IAsyncDisposable
{
    private const int ListPageSize = 500;

    private readonly object gate = new();
    private readonly Dictionary<string, V1Pod> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PodSubscription>> subscribers = new(StringComparer.Ordinal);
    private readonly List<ApiCallListener.Listener?> listenersAwaitingSync = [];
    private readonly Kubernetes client;
    private readonly RawApi raw;
    private readonly string ns;
    private readonly PodManagerOptions options;
    private readonly RetryPolicy retry;
    private readonly ServerReachability reachability;
    private readonly string server;

    private int activeSubscriptions;
    private string? resourceVersion;
    private TaskCompletionSource synced = NewSyncSource();
    private CancellationTokenSource? running;
    private Task? loop;
    private ITimer? lingerTimer;

    public PodInformer(Kubernetes client, string ns, PodManagerOptions options, RetryPolicy retry, ServerReachability reachability, string server)
    {
        this.client = client;
        raw = new RawApi(client);
        this.ns = ns;
        this.options = options;
        this.retry = retry;
        this.reachability = reachability;
        this.server = server;
    }

    /// <summary>Watch requests this informer has made; lets tests and benchmarks count reconnects.</summary>
    public int WatchRequests { get; private set; }

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
            syncTask = synced.Task;
            listenersAwaitingSync.Add(listener);
        }

        try
        {
            await syncTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (gate)
            {
                listenersAwaitingSync.Remove(listener);
            }

            Release();
            throw;
        }

        lock (gate)
        {
            listenersAwaitingSync.Remove(listener);
            var subscription = new PodSubscription(name, pods.GetValueOrDefault(name), resourceVersion, Unsubscribe) { Listener = listener };
            if (!subscribers.TryGetValue(name, out var list))
            {
                subscribers[name] = list = [];
            }

            list.Add(subscription);
            return subscription;
        }
    }

    /// <summary>The pod as the watch last saw it, while the informer runs and has listed the namespace; else null.</summary>
    /// <summary>Whether the watch runs and has listed the namespace, so a subscription costs no request at all.</summary>
    public bool IsLive
    {
        get
        {
            lock (gate)
            {
                return loop is not null && running?.IsCancellationRequested == false && synced.Task.IsCompletedSuccessfully;
            }
        }
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

    private static TaskCompletionSource NewSyncSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void EnsureRunning()
    {
        if (loop is not null && running?.IsCancellationRequested == false)
        {
            return;
        }

        // A run that is still stopping is cancelled, so it no longer touches the cache; start afresh.
        pods.Clear();
        synced = NewSyncSource();
        running = new CancellationTokenSource();
        var token = running.Token;

        // The loop outlives the caller that started it: it must not carry that caller's async-local
        // state (its -Verbose listener) into calls made for every later waiter.
        using (ExecutionContext.SuppressFlow())
        {
            loop = Task.Run(() => RunAsync(token));
        }
    }

    private void Unsubscribe(PodSubscription subscription)
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(subscription.Name, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                subscribers.Remove(subscription.Name);
            }
        }

        Release();
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

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;

        // The loop runs outside every caller's flow; what it does is relayed to each waiter's own listener.
        using var relay = ApiCallListener.Listen(call => Relay(listener => listener.OnCall(call)), note => Relay(listener => listener.OnNote?.Invoke(note)));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                string? trouble;
                try
                {
                    resourceVersion ??= await RelistAsync(cancellationToken).ConfigureAwait(false);
                    var started = options.TimeProvider.GetTimestamp();
                    var outcome = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                    resourceVersion = outcome.Expired ? null : outcome.ResourceVersion;
                    var healthy = outcome.SawEvents || options.TimeProvider.GetElapsedTime(started) >= TimeSpan.FromSeconds(1);
                    failures = healthy ? 0 : failures + 1;
                    trouble = "the server closed the watch at once";
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
                {
                    failures++;
                    trouble = SecretRedactor.Redact(ApiErrors.Innermost(e).Message);
                    if (GiveUp(e) is { } unreachable)
                    {
                        throw unreachable;
                    }
                }

                // A server that keeps failing, or closing watches at once, is retried with back-off, not hammered.
                if (failures > 0)
                {
                    var delay = Shorten(retry.DelayBefore(Math.Min(failures + 1, 10)));
                    ApiCallListener.Note(ReconnectNote(trouble, delay));
                    await Task.Delay(delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            FailEveryone(ApiErrors.Translate(e, $"watching pods in namespace '{ns}'", server, "NamespaceNotFound"), cancellationToken);
            return;
        }

        lock (gate)
        {
            if (running?.Token == cancellationToken)
            {
                pods.Clear();
                synced = NewSyncSource();
                loop = null;
            }
        }
    }

    /// <summary>
    /// ClusterUnreachable once the outage has lasted the budget: <see cref="PodManagerOptions.UnreachableTimeout"/>,
    /// or nothing at all for a server that never answered (a wrong address is not an outage). Null: keep trying.
    /// </summary>
    private PodManagerException? GiveUp(Exception failure)
    {
        if (reachability.Outage is not { } outage)
        {
            return null;
        }

        var budget = reachability.HasAnswered ? options.UnreachableTimeout : TimeSpan.Zero;
        if (outage.Duration < budget)
        {
            return null;
        }

        if (budget == TimeSpan.Zero)
        {
            return ApiErrors.Translate(failure, $"watching pods in namespace '{ns}'", server, "NamespaceNotFound");
        }

        return new PodManagerException("ClusterUnreachable", PodManagerErrorCategory.ConnectionError,
            $"{outage.Describe(server)}, longer than the {options.UnreachableTimeout.TotalSeconds:0} s a wait rides out ({PodManagerRegistry.UnreachableTimeoutVariable}), so the waits on pods in namespace '{ns}' stopped. {ServerOutage.Advice}",
            failure)
        { IsFatal = true };
    }

    /// <summary>During an outage the last reconnect is made when the budget runs out, not after it.</summary>
    private TimeSpan Shorten(TimeSpan delay)
    {
        if (reachability.Outage is not { } outage)
        {
            return delay;
        }

        var left = options.UnreachableTimeout - outage.Duration;
        return left < delay ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : delay;
    }

    private string ReconnectNote(string? trouble, TimeSpan delay)
    {
        var again = $"reconnecting in {delay.TotalSeconds:0.#} s";
        return reachability.Outage is { } outage
            ? $"The watch of pods in namespace '{ns}' lost the API server: {outage.Describe(server)}; {again}, and giving up after {options.UnreachableTimeout.TotalSeconds:0} s."
            : $"The watch of pods in namespace '{ns}' ended ({trouble}); {again}.";
    }

    private void Relay(Action<ApiCallListener.Listener> tell)
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

    private static bool IsTransient(Exception e) => e switch
    {
        k8s.Autorest.HttpOperationException { Response: { } response } => RetryPolicy.IsTransientStatus(response.StatusCode),
        JsonException or OperationCanceledException => true,
        _ => RetryPolicy.IsTransientException(e, CancellationToken.None),
    };

    private void FailEveryone(PodManagerException error, CancellationToken run)
    {
        lock (gate)
        {
            if (running?.Token != run)
            {
                return;
            }

            foreach (var subscription in subscribers.Values.SelectMany(s => s).ToList())
            {
                subscription.Fail(error);
            }

            synced.TrySetException(error);
            synced = NewSyncSource();
            pods.Clear();
            loop = null;
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: continueToken, limit: ListPageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var pod in page.Items)
            {
                listed[pod.Metadata.Name] = pod;
            }

            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? "0";
        }
        while (!string.IsNullOrEmpty(continueToken));

        lock (gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var name in pods.Keys.Where(n => !listed.ContainsKey(n)).ToList())
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

            this.resourceVersion = resourceVersion;

            // Subscribers that got their pod by a GET, not from the cache, must still hear that it is gone.
            foreach (var name in subscribers.Keys.Where(n => !listed.ContainsKey(n)).ToList())
            {
                Publish(name, new PodSnapshot(null, Deleted: true));
            }

            synced.TrySetResult();
        }

        return resourceVersion;
    }

    private async Task<WatchOutcome> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)options.WatchTimeout.TotalSeconds;
        var uri = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}";
        WatchRequests++;
        using var response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var sawEvents = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var type = document.RootElement.GetProperty("type").GetString();
            var payload = document.RootElement.GetProperty("object").GetRawText();
            sawEvents = true;
            switch (type)
            {
                case "ADDED" or "MODIFIED":
                    var pod = KubernetesJson.Deserialize<V1Pod>(payload);
                    resourceVersion = pod.Metadata.ResourceVersion;
                    Apply(pod, deleted: false, cancellationToken);
                    break;
                case "DELETED":
                    var gone = KubernetesJson.Deserialize<V1Pod>(payload);
                    resourceVersion = gone.Metadata.ResourceVersion;
                    Apply(gone, deleted: true, cancellationToken);
                    break;
                case "BOOKMARK":
                    resourceVersion = KubernetesJson.Deserialize<V1Pod>(payload).Metadata.ResourceVersion;
                    break;
                case "ERROR":
                    var status = KubernetesJson.Deserialize<V1Status>(payload);
                    if (status.Code == (int)HttpStatusCode.Gone)
                    {
                        return new WatchOutcome(resourceVersion, SawEvents: true, Expired: true);
                    }

                    throw new IOException($"The pod watch reported an error: {status.Message} [{status.Code} {status.Reason}]");
            }
        }

        return new WatchOutcome(resourceVersion, sawEvents, Expired: false);
    }

    private void Apply(V1Pod pod, bool deleted, CancellationToken run)
    {
        lock (gate)
        {
            run.ThrowIfCancellationRequested();
            resourceVersion = pod.Metadata.ResourceVersion;
            var name = pod.Metadata.Name;
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

    private readonly record struct WatchOutcome(string ResourceVersion, bool SawEvents, bool Expired);
}
