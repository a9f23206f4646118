using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Watching;

/// <summary>
/// The list+watch loop of one namespace's pods that keeps a <see cref="PodCache"/> current (client-go's Reflector). It
/// lists, watches from the list's resourceVersion, resumes a watch that ended from the last version it saw, lists again
/// on 410 Expired, and backs off (<see cref="BackOffOptions.PodWatch"/>) from a server that fails or closes watches at once.
/// Unlike client-go's, it does not retry for ever: once the API server has been unreachable for
/// <see cref="PodManagerOptions.UnreachableTimeout"/> (at once, if it never answered) it gives up with ClusterUnreachable;
/// each reconnect is announced as a note to the listener of the flow it runs in. Where RBAC does not allow the
/// namespace-wide list and watch, it follows one pod (<see cref="WatchScope"/>): the same loop with a
/// <c>metadata.name</c> field selector, or, as a last resort, a GET every <see cref="PodManagerOptions.PollInterval"/>.
/// </summary>
internal sealed class PodReflector(Kubernetes client, RawApi raw, string ns, PodManagerOptions options, RetryPolicy retry, ServerReachability reachability, string server, WatchScope scope = WatchScope.Namespace, string? podName = null)
{
    private const int ListPageSize = 500;

    // A watch that lasted this long without an event was a quiet namespace, not a server closing watches at once.
    private static readonly TimeSpan HealthyWatch = TimeSpan.FromSeconds(1);

    private int watchRequests;

    /// <summary>Watch requests made; lets tests and benchmarks count reconnects.</summary>
    public int WatchRequests => Volatile.Read(ref watchRequests);

    private string Action => scope == WatchScope.Namespace ? $"watching pods in namespace '{ns}'" : $"watching pod {ns}/{podName}";

    private string? FieldSelector => scope == WatchScope.Namespace ? null : "metadata.name=" + podName;

    /// <summary>Keeps <paramref name="cache"/> current until <paramref name="run"/> is cancelled.</summary>
    /// <exception cref="PodManagerException">The watch gave up: the server has been unreachable too long, or refused it.</exception>
    public async Task RunAsync(PodCache cache, CancellationToken run)
    {
        string? resourceVersion = null;
        var backOff = retry.BackOff(BackOffOptions.PodWatch);
        try
        {
            if (scope == WatchScope.Polling)
            {
                await PollAsync(cache, run).ConfigureAwait(false);
                return;
            }

            while (!run.IsCancellationRequested)
            {
                string trouble;
                try
                {
                    resourceVersion ??= await ListAsync(cache, run).ConfigureAwait(false);
                    var started = options.TimeProvider.GetTimestamp();
                    Interlocked.Increment(ref watchRequests);
                    await using var watch = await WatchStream<V1Pod>.OpenAsync(raw, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods", resourceVersion, options.WatchTimeout, FieldSelector, run).ConfigureAwait(false);
                    try
                    {
                        await foreach (var (type, pod) in watch.ReadAsync(run).ConfigureAwait(false))
                        {
                            cache.Apply(type, pod, run);
                        }
                    }
                    finally
                    {
                        // However the stream ended, the server replays every change after the last version seen.
                        resourceVersion = watch.ResourceVersion;
                    }

                    var healthy = watch.SawEvents || options.TimeProvider.GetElapsedTime(started) >= HealthyWatch;
                    if (healthy)
                    {
                        backOff.Reset();
                    }
                    else
                    {
                        backOff.Fail();
                    }

                    trouble = "the server closed the watch at once";
                }
                catch (WatchExpiredException)
                {
                    resourceVersion = null;
                    backOff.Reset();
                    continue;
                }
                catch (Exception e) when (!run.IsCancellationRequested && backOff.ShouldRetry(e, run))
                {
                    trouble = SecretRedactor.Redact(ApiErrors.Innermost(e).Message);
                    if (GiveUp(e) is { } unreachable)
                    {
                        throw unreachable;
                    }
                }

                if (backOff.Failures > 0)
                {
                    var delay = Shorten(backOff.NextDelay());
                    ApiCallListener.Note(ReconnectNote(trouble, delay));
                    await backOff.WaitAsync(delay, run).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not PodManagerException)
        {
            throw ApiErrors.Translate(e, Action, server, ErrorIds.NamespaceNotFound);
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
            return ApiErrors.Translate(failure, Action, server, ErrorIds.NamespaceNotFound);
        }

        return new PodManagerException(ErrorIds.ClusterUnreachable,
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

    private string ReconnectNote(string trouble, TimeSpan delay)
    {
        var again = $"reconnecting in {delay.TotalSeconds:0.#} s";
        return reachability.Outage is { } outage
            ? $"The watch of pods in namespace '{ns}' lost the API server: {outage.Describe(server)}; {again}, and giving up after {options.UnreachableTimeout.TotalSeconds:0} s."
            : $"The watch of pods in namespace '{ns}' ended ({trouble}); {again}.";
    }

    /// <summary>Lists the namespace's pods a page at a time into the cache; returns the list's resourceVersion to watch from.</summary>
    private async Task<string> ListAsync(PodCache cache, CancellationToken run)
    {
        var listed = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: continueToken, fieldSelector: FieldSelector, limit: ListPageSize, cancellationToken: run).ConfigureAwait(false);
            foreach (var pod in page.Items)
            {
                listed[pod.Metadata.Name] = pod;
            }

            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? "0";
        }
        while (!string.IsNullOrEmpty(continueToken));

        cache.Replace(listed, resourceVersion, run);
        return resourceVersion;
    }

    /// <summary>Reads the one pod every <see cref="PodManagerOptions.PollInterval"/> into the cache: gone is an empty list.</summary>
    private async Task PollAsync(PodCache cache, CancellationToken run)
    {
        while (!run.IsCancellationRequested)
        {
            V1Pod? pod;
            try
            {
                pod = await client.CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: run).ConfigureAwait(false);
            }
            catch (Exception e) when (ApiErrors.IsStatus(e, System.Net.HttpStatusCode.NotFound))
            {
                pod = null;
            }

            var listed = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
            if (pod is not null)
            {
                listed[pod.Metadata.Name] = pod;
            }

            cache.Replace(listed, pod?.Metadata.ResourceVersion ?? "0", run);
            await Task.Delay(options.PollInterval, options.TimeProvider, run).ConfigureAwait(false);
        }
    }
}
