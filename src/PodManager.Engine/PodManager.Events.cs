using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.Engine.Resilience;
using PodManager.Engine.Events;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>The pod's events, oldest first (the seed's read_pod_events).</summary>
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
        var failures = 0;
        var quietStreams = 0;
        while (true)
        {
            if (quietStreams > 0)
            {
                // A watch that keeps ending without news is resumed with back-off, not hammered.
                await Task.Delay(retry.DelayBefore(Math.Min(quietStreams + 1, 5)), Options.TimeProvider, cancellationToken).ConfigureAwait(false);
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

            var uri = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/events?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}"
                + $"&timeoutSeconds={(int)Options.WatchTimeout.TotalSeconds}&fieldSelector={Uri.EscapeDataString(FieldSelector(name))}";
            HttpResponseMessage? response = null;
            try
            {
                response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken) && ++failures < retry.Options.MaxAttempts * 4)
            {
                await Task.Delay(retry.DelayBefore(Math.Min(failures + 1, 5)), Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Translate(e, $"watching the events of pod {ns}/{name}");
            }

            quietStreams++;
            using (response)
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(stream);
                while (true)
                {
                    string? line;
                    try
                    {
                        line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken))
                    {
                        break;
                    }

                    if (line is null)
                    {
                        break;
                    }

                    if (line.Length == 0)
                    {
                        continue;
                    }

                    failures = 0;
                    quietStreams = 0;
                    using var document = JsonDocument.Parse(line);
                    var type = document.RootElement.GetProperty("type").GetString();
                    var payload = document.RootElement.GetProperty("object").GetRawText();
                    if (type == "ERROR")
                    {
                        var status = KubernetesJson.Deserialize<V1Status>(payload);
                        resourceVersion = status.Code == (int)HttpStatusCode.Gone ? null : resourceVersion;
                        break;
                    }

                    var item = KubernetesJson.Deserialize<Corev1Event>(payload);
                    resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                    if (type is "ADDED" or "MODIFIED" && IsNew(item))
                    {
                        yield return KPodEventConverter.ToKPodEvent(item);
                    }
                }
            }
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
            throw Translate(e, $"reading the events of pod {ns}/{name}", "NamespaceNotFound");
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
