using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManager.Engine.Logs;
using PodManager.Engine.Pods;
using PodManager.Engine.Resilience;
using PodManager.Engine.Watching;

namespace PodManager.Engine;

/// <summary>
/// The engine for one cluster connection: creates, watches, reads and deletes pods. Every cmdlet in
/// the process shares one instance per connection (<see cref="PodManagerRegistry"/>); it is thread-safe.
/// Waits never poll: they follow one shared watch per namespace (<see cref="PodInformer"/>).
/// </summary>
public sealed partial class PodManager : IPodManager, IAsyncDisposable
{
    private readonly Kubernetes client;
    private readonly RawApi raw;
    private readonly RetryPolicy retry;
    private readonly ServerReachability reachability;
    private readonly ConcurrentDictionary<string, PodInformer> informers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Namespace, string Name, WatchScope Scope), PodInformer> podInformers = new();
    private readonly ConcurrentDictionary<string, WatchScope> scopes = new(StringComparer.Ordinal);
    private readonly PodLogReader logReader;
    private readonly Exec.PodExecutor executor;

    private PodManager(ResolvedConnection resolved, PodManagerOptions options)
    {
        Options = options;
        Connection = resolved.Connection;
        Identity = resolved.Identity;
        retry = new RetryPolicy(options.Retry, options.TimeProvider);
        reachability = new ServerReachability(options.TimeProvider);
        client = new Kubernetes(resolved.Configuration, new ApiCallHandler(retry, reachability, resolved.Identity));
        raw = new RawApi(client);
        logReader = new PodLogReader(raw, retry, ContainerEndedAsync, AwaitContainerEndAsync, options.FollowIdleTimeout);
        executor = new Exec.PodExecutor(client, raw, retry, resolved.Identity);
    }

    public KConnection Connection { get; }

    public PodManagerOptions Options { get; }

    internal ClientIdentity Identity { get; }

    /// <summary>An engine of its own, outside the process-wide cache (tests, or callers that manage lifetime).</summary>
    public static PodManager Create(ConnectionSettings settings, PodManagerOptions? options = null) =>
        new(ConnectionResolver.Resolve(settings), options ?? PodManagerOptions.Default);

    internal static PodManager Create(ResolvedConnection resolved, PodManagerOptions options) => new(resolved, options);

    public string ResolveNamespace(string? ns) => string.IsNullOrEmpty(ns) ? Connection.DefaultNamespace : ns;

    public KPod ToKPod(V1Pod pod) => KPodConverter.ToKPod(pod, Connection);

    /// <summary>Watch requests made by this engine's informers; one per namespace plus one per reconnect.</summary>
    public int WatchRequestCount => informers.Values.Concat(podInformers.Values).Sum(i => i.WatchRequests);

    public async Task<V1Pod> ReadPodAsync(string ns, string name, CancellationToken cancellationToken) =>
        await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false)
        ?? throw PodNotFound(ns, name, statusCode: 404);

    public async Task<KPod> GetPodAsync(string ns, string name, CancellationToken cancellationToken) =>
        ToKPod(await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false));

    /// <summary>Deletes a pod; a pod that is already gone is not an error (returns false).</summary>
    public async Task<bool> DeletePodAsync(string ns, string name, int? gracePeriodSeconds, bool wait, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        V1Pod deleted;
        try
        {
            deleted = await client.CoreV1.DeleteNamespacedPodAsync(
                name, ns, new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds, PropagationPolicy = "Background" },
                gracePeriodSeconds: gracePeriodSeconds, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsStatus(e, HttpStatusCode.NotFound))
        {
            return false;
        }
        catch (Exception e)
        {
            throw Translate(e, $"deleting pod {ns}/{name}", ErrorIds.PodNotFound);
        }

        if (wait)
        {
            await WaitUntilGoneAsync(ns, name, deleted.Metadata?.Uid, timeout, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var informer in informers.Values.Concat(podInformers.Values))
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }

        client.Dispose();
    }

    internal async Task<V1Pod?> TryReadPodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsStatus(e, HttpStatusCode.NotFound))
        {
            return null;
        }
        catch (Exception e)
        {
            throw Translate(e, $"reading pod {ns}/{name}", ErrorIds.PodNotFound);
        }
    }

    /// <summary>
    /// What a log follow asks when its stream ends: has the container ended (null: the pod is gone)? The stream
    /// usually ends because the container did, and a live shared watch says so a moment later at no cost; only
    /// when it does not (a cut stream, or no watch running) is the pod read.
    /// </summary>
    private async Task<bool?> ContainerEndedAsync(string ns, string name, string container, CancellationToken cancellationToken)
    {
        if (informers.TryGetValue(ns, out var informer) && informer.IsLive)
        {
            using var subscription = await informer.SubscribeAsync(name, cancellationToken).ConfigureAwait(false);
            using var watch = new PodWatch(subscription, subscription.Initial, Options.TimeProvider);
            var limit = Options.TimeProvider.GetTimestamp();
            while (watch.Current is { } seen && !ContainerHelpers.ContainerIsCompleted(seen, container)
                && await watch.NextAsync(Options.FollowEndGrace - Options.TimeProvider.GetElapsedTime(limit), cancellationToken).ConfigureAwait(false))
            {
            }

            if (watch.Current is { } pod && ContainerHelpers.ContainerIsCompleted(pod, container))
            {
                return true;
            }
        }

        var read = await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return read is null ? null : ContainerHelpers.ContainerIsCompleted(read, container);
    }

    /// <summary>
    /// Completes when the shared watch sees the container ended or the pod gone. A failure to watch completes it
    /// too: the log follow that waits on it then checks the pod itself (<see cref="ContainerEndedAsync"/>).
    /// </summary>
    private async Task AwaitContainerEndAsync(string ns, string name, string container, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pod in ObserveAsync(ns, name, cancellationToken).ConfigureAwait(false))
            {
                if (pod is null || ContainerHelpers.ContainerIsCompleted(pod, container))
                {
                    return;
                }
            }
        }
        catch (PodManagerException)
        {
            // Nothing to report here: the follow asks ContainerEndedAsync, which reads the pod, before it gives up a stream.
        }
    }

    /// <summary>
    /// Starts following one pod on the namespace's shared watch. Costs at most one GET, when the watch
    /// has not seen the pod yet; <see cref="PodWatch.Current"/> is null when the pod does not exist.
    /// </summary>
    internal async Task<PodWatch> WatchPodAsync(string ns, string name, CancellationToken cancellationToken, V1Pod? known = null)
    {
        var subscription = await SubscribeAsync(ns, name, cancellationToken).ConfigureAwait(false);
        try
        {
            // A pod just created is newer than the watch has got: its create response stands in until the watch
            // catches up, which saves the GET; anything the watch should already know about is read.
            var current = subscription.Initial
                ?? (known is not null && subscription.IsBehind(known.Metadata?.ResourceVersion) ? known : null)
                ?? await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
            subscription.KnownVersion = current?.Metadata?.ResourceVersion;
            return new PodWatch(subscription, current, Options.TimeProvider);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    /// <summary>The pod's current state, then every change; null means it does not exist (or was deleted), and ends the sequence.</summary>
    internal async IAsyncEnumerable<V1Pod?> ObserveAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var watch = await WatchPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        yield return watch.Current;
        while (watch.Current is not null)
        {
            await watch.NextAsync(null, cancellationToken).ConfigureAwait(false);
            yield return watch.Current;
        }
    }

    internal PodManagerException Translate(Exception e, string action, ErrorId? notFound = null) =>
        ApiErrors.Translate(e, action, Connection.Server, notFound, Identity);

    internal static PodManagerException PodNotFound(string ns, string name, string detail = "", int? statusCode = null) =>
        new(ErrorIds.PodNotFound,
            $"Pod '{name}' was not found in namespace '{ns}'{detail}. Check the name and -Namespace (Get-KPod lists the pods).")
        { StatusCode = statusCode };

    /// <summary>
    /// Runs <paramref name="operation"/> under an optional time limit, turning the limit into a clear error; a limit
    /// that runs out while the API server is unreachable is that outage, not something the pod did.
    /// </summary>
    internal async Task<T> WithTimeoutAsync<T>(TimeSpan? timeout, Func<CancellationToken, Task<T>> operation, Func<PodManagerException> onTimeout, CancellationToken cancellationToken)
    {
        if (timeout is null || timeout == Timeout.InfiniteTimeSpan)
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }

        using var limit = new CancellationTokenSource(timeout.Value, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = onTimeout();
            throw UnreachableAtTimeLimit(timeout.Value, timedOut.Pod, timedOut) ?? timedOut;
        }
    }

    /// <summary>
    /// The error for a time limit that ran out during an outage (with the wait's own timeout error inside, when
    /// there is one); null when the server answers, and the limit is the pod's doing.
    /// </summary>
    internal PodManagerException? UnreachableAtTimeLimit(TimeSpan limit, KPod? pod, PodManagerException? timedOut = null) =>
        reachability.Outage is { } outage
            ? new PodManagerException(ErrorIds.ClusterUnreachable,
                $"{outage.Describe(Connection.Server)} when the time limit of {limit.TotalSeconds:0.#} s ran out, so what became of the pod is unknown. {ServerOutage.Advice}", timedOut)
                { Pod = pod, IsFatal = true }
            : null;

    private PodInformer Informer(string ns) =>
        informers.GetOrAdd(ns, n => new PodInformer(client, raw, n, Options, retry, reachability, Connection.Server));

    /// <summary>
    /// Subscribes to one pod on the cheapest watch RBAC allows (<see cref="WatchScope"/>): the namespace's shared watch;
    /// where list or watch of the namespace's pods is forbidden, a watch of the pod alone; where that is forbidden too,
    /// polling. Each namespace steps down once, with one warning that names the permission that would make waits efficient.
    /// </summary>
    private async Task<PodSubscription> SubscribeAsync(string ns, string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var scope = scopes.GetValueOrDefault(ns, WatchScope.Namespace);
            var informer = scope == WatchScope.Namespace
                ? Informer(ns)
                : podInformers.GetOrAdd((ns, name, scope), key => new PodInformer(client, raw, key.Namespace, Options, retry, reachability, Connection.Server, key.Scope, key.Name));
            try
            {
                return await informer.SubscribeAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (PodManagerException e) when (e.ErrorId == ErrorIds.Forbidden.Name && scope != WatchScope.Polling)
            {
                var next = scope + 1;
                if (scopes.TryAdd(ns, next) || scopes.TryUpdate(ns, next, scope))
                {
                    if (scope == WatchScope.Namespace)
                    {
                        ApiCallListener.Warn($"Waits on pods in namespace '{ns}' cannot share one watch: {FirstSentence(e.Message)} Each wait now follows its own pod (a watch with fieldSelector=metadata.name=, or a GET every {Options.PollInterval.TotalSeconds:0.#} s where that is forbidden too). Grant list and watch on pods in namespace '{ns}' (about_PodManager, LEAST PRIVILEGE) so that one watch serves every wait.");
                    }
                    else
                    {
                        ApiCallListener.Note($"Watching pod {ns}/{name} alone is forbidden too; reading it every {Options.PollInterval.TotalSeconds:0.#} s instead.");
                    }
                }
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf("]. ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 2)];
    }

    private Task WaitUntilGoneAsync(string ns, string name, string? uid, TimeSpan? timeout, CancellationToken cancellationToken) =>
        WithTimeoutAsync<bool>(
            timeout,
            async token =>
            {
                await foreach (var pod in ObserveAsync(ns, name, token).ConfigureAwait(false))
                {
                    if (pod is null || (uid is not null && pod.Metadata.Uid != uid))
                    {
                        return true;
                    }
                }

                return true;
            },
            () => new PodManagerException(ErrorIds.PodDeleteTimeout,
                $"Pod {ns}/{name} was still terminating after {timeout!.Value.TotalSeconds:0} s. It may be stuck on a finalizer or an unresponsive node; check 'kubectl describe pod {name} -n {ns}'."),
            cancellationToken);
}
