using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using PodManager.Engine.Events;
using PodManager.Engine.Resilience;
using PodManager.Engine.Watching;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>The pod's events, oldest first (Airflow's read_pod_events).</summary>
    public async Task<IReadOnlyList<KPodEvent>> ReadPodEventsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var list = await ListEventsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return InTimeOrder(list.Items).Select(KPodEventConverter.ToKPodEvent).ToList();
    }

    /// <summary>
    /// The pod's events as they happen: first the existing ones, then each new event, or repeat of one, once.
    /// Resumes a dropped watch from its resourceVersion and relists on 410 without repeating anything.
    /// </summary>
    public async IAsyncEnumerable<KPodEvent> WatchPodEventsAsync(string ns, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var delivered = new Dictionary<string, int>(StringComparer.Ordinal);
        string? resourceVersion = null;
        var failedOpens = retry.BackOff(BackOffOptions.EventWatchOpen(retry.Options));
        var quietStreams = retry.BackOff(BackOffOptions.QuietStream);
        while (true)
        {
            if (quietStreams.Failures > 0)
            {
                // A watch that keeps ending without news is resumed with back-off, not hammered.
                await quietStreams.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (resourceVersion is null)
            {
                var list = await ListEventsAsync(ns, name, cancellationToken).ConfigureAwait(false);
                resourceVersion = list.Metadata?.ResourceVersion ?? "0";
                foreach (var item in InTimeOrder(list.Items))
                {
                    if (IsNew(item))
                    {
                        yield return KPodEventConverter.ToKPodEvent(item);
                    }
                }
            }

            WatchStream<Corev1Event> watch;
            try
            {
                watch = await WatchStream<Corev1Event>.OpenAsync(
                    raw, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/events", resourceVersion, Options.WatchTimeout, FieldSelector(name), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (failedOpens.ShouldRetry(e, cancellationToken))
            {
                await failedOpens.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Translate(e, $"watching the events of pod {ns}/{name}");
            }

            quietStreams.Fail();
            var expired = false;
            await using (watch.ConfigureAwait(false))
            {
                var events = watch.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    while (true)
                    {
                        try
                        {
                            if (!await events.MoveNextAsync().ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        catch (WatchExpiredException)
                        {
                            expired = true;
                            break;
                        }
                        catch (Exception e) when (quietStreams.Retries(e, cancellationToken))
                        {
                            break;
                        }

                        var (type, item) = events.Current;
                        if (type is WatchEventType.Added or WatchEventType.Modified && IsNew(item))
                        {
                            yield return KPodEventConverter.ToKPodEvent(item);
                        }
                    }
                }
            }

            // Anything from the server, a bookmark or an ERROR too, is news: the next watch opens at once.
            if (watch.SawEvents)
            {
                failedOpens.Reset();
                quietStreams.Reset();
            }

            resourceVersion = expired ? null : watch.ResourceVersion;
        }

        bool IsNew(Corev1Event item)
        {
            var key = item.Metadata?.Uid ?? item.Metadata?.Name ?? "";
            var count = item.Count ?? item.Series?.Count ?? 1;
            if (delivered.TryGetValue(key, out var seen) && seen >= count)
            {
                return false;
            }

            delivered[key] = count;
            return true;
        }
    }

    private async Task<Corev1EventList> ListEventsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: FieldSelector(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(e, $"reading the events of pod {ns}/{name}", ErrorIds.NamespaceNotFound);
        }
    }

    /// <summary>
    /// Oldest first. Event times mix whole seconds (lastTimestamp) with microseconds (eventTime), so they are
    /// compared to the second and ties keep the server's order, which is the order the events were written.
    /// </summary>
    private static IEnumerable<Corev1Event> InTimeOrder(IEnumerable<Corev1Event> events) =>
        events.OrderBy(e => (e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp) is { } time ? time.Ticks / TimeSpan.TicksPerSecond : long.MaxValue);

    private static string FieldSelector(string podName) => $"involvedObject.kind=Pod,involvedObject.name={podName}";
}
