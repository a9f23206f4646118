using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Pods;

namespace PodManager.Engine.Logs;

/// <summary>
/// Reads one container's log as <see cref="KPodLogLine"/>s. Following survives cut streams and outages:
/// it resumes with <c>sinceTime</c> from the last line's timestamp and drops what it already delivered
/// (<see cref="LogCursor"/>), and it ends as soon as the container has terminated and the tail is read.
/// </summary>
internal sealed class PodLogReader(RawApi raw, RetryPolicy retry, Func<string, string, CancellationToken, Task<V1Pod?>> readPod)
{
    // Each attempt already went through the retry policy; this bounds a stream that keeps breaking right after it opens.
    private const int MaxConsecutiveErrors = 20;

    public async IAsyncEnumerable<KPodLogLine> ReadAsync(
        string ns, string pod, string container, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = new LogCursor();
        var follow = request.Follow;
        var remainingBytes = request.LimitBytes;
        var errors = 0;
        var quietReads = 0;
        var first = true;
        while (true)
        {
            var uri = BuildUri(ns, pod, container, request, follow, first ? null : cursor.LastTimestamp);
            first = false;
            cursor.BeginRead();
            var delivered = 0;
            Exception? streamError = null;
            HttpResponseMessage? response = null;
            try
            {
                response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (request.Follow && RetryPolicy.IsTransientException(e, cancellationToken))
            {
                streamError = e;
            }

            if (response is not null)
            {
                using (response)
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var reader = new NewlineReader(stream);
                    while (true)
                    {
                        string? text;
                        try
                        {
                            text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken))
                        {
                            streamError = e;
                            break;
                        }

                        if (text is null)
                        {
                            break;
                        }

                        var line = ToLogLine(ns, pod, container, text, cursor, request.Timestamps);
                        if (line is null)
                        {
                            continue;
                        }

                        if (remainingBytes is { } budget)
                        {
                            line = Truncate(line, budget, out var used);
                            remainingBytes = budget - used;
                        }

                        delivered++;
                        yield return line;
                        if (remainingBytes <= 0)
                        {
                            yield break;
                        }
                    }
                }
            }

            if (!request.Follow)
            {
                if (streamError is not null)
                {
                    throw streamError;
                }

                yield break;
            }

            errors = streamError is null ? 0 : errors + 1;
            if (errors >= MaxConsecutiveErrors)
            {
                throw streamError!;
            }

            if (follow)
            {
                var current = await readPod(ns, pod, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    yield break;
                }

                // The stream ended because the container did, or because it was cut. Once the container has
                // terminated, one last plain read from the cursor fetches whatever a cut may have hidden.
                follow = !ContainerHelpers.ContainerIsCompleted(current, container);
            }
            else if (streamError is null)
            {
                yield break;
            }

            // Back off only when a read brought nothing: a cut stream that delivered lines resumes at once.
            quietReads = delivered > 0 ? 0 : quietReads + 1;
            if (quietReads > 0 && (follow || streamError is not null))
            {
                await Task.Delay(retry.DelayBefore(Math.Min(quietReads + 1, 5)), retry.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string BuildUri(string ns, string pod, string container, LogRequest request, bool follow, long? resumeFrom)
    {
        var query = new StringBuilder($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/log?container={Uri.EscapeDataString(container)}&timestamps=true");
        if (follow)
        {
            query.Append("&follow=true");
        }

        if (resumeFrom is { } nanos)
        {
            query.Append("&sinceTime=").Append(Uri.EscapeDataString(LogLineParser.FormatTimestamp(nanos)));
            return query.ToString();
        }

        if (request.Previous)
        {
            query.Append("&previous=true");
        }

        if (request.SinceTime is { } since)
        {
            query.Append("&sinceTime=").Append(Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)));
        }
        else if (request.Since is { } window)
        {
            query.Append("&sinceSeconds=").Append(Math.Max(1, (long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (request.TailLines is { } tail)
        {
            query.Append("&tailLines=").Append(tail.ToString(CultureInfo.InvariantCulture));
        }

        return query.ToString();
    }

    private static KPodLogLine? ToLogLine(string ns, string pod, string container, string raw, LogCursor cursor, bool showTimestamp)
    {
        var space = raw.IndexOf(' ');
        var stamp = space > 0 ? raw.AsSpan(0, space) : raw.AsSpan();
        if (LogLineParser.TryParseTimestamp(stamp, out var timestamp, out var nanos))
        {
            if (cursor.IsDuplicate(nanos))
            {
                return null;
            }

            return new KPodLogLine { Pod = pod, Namespace = ns, Container = container, Timestamp = timestamp, TimestampText = stamp.ToString(), ShowTimestamp = showTimestamp, Message = space > 0 ? raw[(space + 1)..] : "" };
        }

        return new KPodLogLine { Pod = pod, Namespace = ns, Container = container, Timestamp = null, Message = raw };
    }

    private static KPodLogLine Truncate(KPodLogLine line, long budget, out long used)
    {
        var bytes = Encoding.UTF8.GetByteCount(line.Message) + 1;
        if (bytes <= budget)
        {
            used = bytes;
            return line;
        }

        var kept = new StringBuilder();
        used = 0;
        foreach (var rune in line.Message.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            kept.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }

        used = budget;
        return new KPodLogLine { Pod = line.Pod, Namespace = line.Namespace, Container = line.Container, Timestamp = line.Timestamp, TimestampText = line.TimestampText, ShowTimestamp = line.ShowTimestamp, Message = kept.ToString() };
    }
}
