using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PodManager.Engine.Api;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Logs;

/// <summary>
/// Reads one container's log. Following survives cut streams and outages: it resumes with <c>sinceTime</c>
/// from the last line's timestamp and drops what it already delivered (<see cref="LogCursor"/>), and it ends
/// as soon as the container has terminated and the tail is read, also when the stream stays open after the end
/// (<see cref="FollowIdleBound"/>). Lines travel as bytes (<see cref="RawLogLine"/>) and become objects
/// (<see cref="ReadAsync"/>) or are copied to a stream (<see cref="CopyAsync"/>) at the end.
/// </summary>
/// <param name="containerEnded">Has the container ended (null: the pod is gone)?</param>
/// <param name="containerEnd">Completes when the container has ended or the pod is gone.</param>
internal sealed class PodLogReader(
    RawApi raw,
    RetryPolicy retry,
    Func<string, string, string, CancellationToken, Task<bool?>> containerEnded,
    Func<string, string, string, CancellationToken, Task> containerEnd,
    TimeSpan followIdleTimeout)
{
    // Each attempt already went through the retry policy; this bounds a stream that keeps breaking right after it opens.
    private const int MaxConsecutiveErrors = 20;

    public async IAsyncEnumerable<KPodLogLine> ReadAsync(
        string ns, string pod, string container, LogRequest request, LogSourceState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in ReadRawAsync(ns, pod, container, request, state, cancellationToken).ConfigureAwait(false))
        {
            var message = Encoding.UTF8.GetString(line.Message.Span);
            yield return line.Nanoseconds is { } nanos
                ? new KPodLogLine
                {
                    Pod = pod,
                    Namespace = ns,
                    Container = container,
                    Timestamp = LogTimestamp.ToDateTimeOffset(nanos),
                    UnixNanoseconds = nanos,
                    ShowTimestamp = request.Timestamps,
                    Message = message,
                }
                : new KPodLogLine { Pod = pod, Namespace = ns, Container = container, Message = message };
        }
    }

    /// <summary>Writes the log to <paramref name="destination"/> as kubectl logs prints it, without making a string per line.</summary>
    public async Task<long> CopyAsync(string ns, string pod, string container, LogRequest request, Stream destination, CancellationToken cancellationToken)
    {
        long lines = 0;
        await foreach (var line in ReadRawAsync(ns, pod, container, request, state: null, cancellationToken).ConfigureAwait(false))
        {
            if (request.Timestamps && line.Nanoseconds is not null)
            {
                await destination.WriteAsync(line.Stamp, cancellationToken).ConfigureAwait(false);
                destination.WriteByte((byte)' ');
            }

            await destination.WriteAsync(line.Message, cancellationToken).ConfigureAwait(false);
            destination.WriteByte((byte)'\n');
            lines++;
        }

        return lines;
    }

    private async IAsyncEnumerable<RawLogLine> ReadRawAsync(
        string ns, string pod, string container, LogRequest request, LogSourceState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = new LogCursor();
        var follow = request.Follow;
        var remainingBytes = request.LimitBytes;
        var errors = 0;
        var quietReads = 0;
        var catchingUp = false;
        long? endOfLog = null;
        var cutBeforeThePosition = 0;
        var first = true;
        await using var idleBound = new FollowIdleBound(token => containerEnd(ns, pod, container, token), followIdleTimeout, retry.TimeProvider);
        while (true)
        {
            var uri = BuildUri(ns, pod, container, request, follow, first ? null : cursor.LastTimestamp);
            first = false;
            cursor.BeginRead();
            var delivered = 0;
            Exception? streamError = null;
            HttpResponseMessage? response = null;
            state?.SetOpening(true);
            try
            {
                response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                state?.SetOpening(false);
            }
            catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken))
            {
                streamError = e;
            }

            if (response is not null)
            {
                using (response)
                {
                    using var streamStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var reader = new NewlineReader(stream);
                    while (true)
                    {
                        bool read;
                        try
                        {
                            var next = reader.MoveNextAsync(streamStop.Token);
                            if (follow && !next.IsCompleted)
                            {
                                var waiting = next.AsTask();
                                if (!await idleBound.WaitAsync(waiting).ConfigureAwait(false))
                                {
                                    // Silent since the container ended: give the stream up, as if it had ended.
                                    await streamStop.CancelAsync().ConfigureAwait(false);
                                    await ((Task)waiting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                                    break;
                                }

                                read = await waiting.ConfigureAwait(false);
                            }
                            else
                            {
                                read = await next.ConfigureAwait(false);
                            }
                        }
                        catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken))
                        {
                            streamError = e;
                            break;
                        }

                        if (!read)
                        {
                            break;
                        }

                        var line = Split(reader.Line);
                        if (line.Nanoseconds is { } nanos && cursor.IsDuplicate(nanos))
                        {
                            continue;
                        }

                        if (remainingBytes is { } budget)
                        {
                            var whole = line.Message.Length + 1 <= budget;
                            line = line with { Message = Truncate(line.Message, budget) };
                            remainingBytes = whole ? budget - line.Message.Length - 1 : 0;
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

            // Until the next stream opens, this container may write lines that others must not overtake.
            state?.SetOpening(true);
            errors = streamError is null ? 0 : errors + 1;
            if (errors >= MaxConsecutiveErrors)
            {
                throw streamError!;
            }

            if (catchingUp)
            {
                // Done once the log's last line is delivered; a catch-up that keeps finding nothing means it is gone.
                if (cursor.LastTimestamp >= endOfLog || (delivered == 0 && ++cutBeforeThePosition >= MaxConsecutiveErrors))
                {
                    yield break;
                }
            }
            else if (follow)
            {
                var ended = await containerEnded(ns, pod, container, cancellationToken).ConfigureAwait(false);
                if (ended is null)
                {
                    yield break;
                }

                if (ended.Value)
                {
                    // The stream ended because the container did, or because it was cut: the log's last line tells.
                    // Plain reads from the cursor then fetch whatever a cut hid, until that line has been delivered.
                    endOfLog = await ReadLastTimestampAsync(ns, pod, container, cancellationToken).ConfigureAwait(false);
                    if (endOfLog is null || cursor.LastTimestamp >= endOfLog)
                    {
                        yield break;
                    }

                    follow = false;
                    catchingUp = true;
                }
                else
                {
                    idleBound.Rearm();
                }
            }
            else if (streamError is null && (cursor.ReachedPosition || ++cutBeforeThePosition >= MaxConsecutiveErrors))
            {
                // A plain read that ended cleanly past where the last one stopped is complete. One that keeps ending
                // before it finds a log that no longer holds those lines (rotated away): there is nothing more to read.
                yield break;
            }

            // Back off only when a read brought nothing: a cut stream that delivered lines resumes at once.
            quietReads = delivered > 0 ? 0 : quietReads + 1;
            if (quietReads > 0 && (follow || catchingUp || streamError is not null))
            {
                await Task.Delay(retry.DelayBefore(Math.Min(quietReads + 1, 5)), retry.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The stamp of a finished container's last line (one line, so no cut can shorten it), or null for an empty log.</summary>
    private async Task<long?> ReadLastTimestampAsync(string ns, string pod, string container, CancellationToken cancellationToken)
    {
        var uri = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/log?container={Uri.EscapeDataString(container)}&timestamps=true&tailLines=1";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var reader = new NewlineReader(stream);
                return await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false) ? Split(reader.Line).Nanoseconds : null;
            }
            catch (Exception e) when (attempt < retry.Options.MaxAttempts && RetryPolicy.IsTransientException(e, cancellationToken))
            {
                await Task.Delay(retry.DelayBefore(attempt + 1), retry.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static RawLogLine Split(ReadOnlyMemory<byte> line)
    {
        var space = line.Span.IndexOf((byte)' ');
        var stamp = space > 0 ? line[..space] : line;
        return LogTimestamp.TryParse(stamp.Span, out var nanos)
            ? new RawLogLine(stamp, space > 0 ? line[(space + 1)..] : ReadOnlyMemory<byte>.Empty, nanos)
            : new RawLogLine(ReadOnlyMemory<byte>.Empty, line, null);
    }

    /// <summary>kubectl's --limit-bytes counts what it prints: the message and its newline. A cut never splits a character.</summary>
    private static ReadOnlyMemory<byte> Truncate(ReadOnlyMemory<byte> message, long budget)
    {
        if (message.Length + 1 <= budget)
        {
            return message;
        }

        var cut = (int)Math.Max(0, budget);
        while (cut > 0 && cut < message.Length && (message.Span[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return message[..cut];
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
            query.Append("&sinceTime=").Append(Uri.EscapeDataString(KubeTimestamp.Format(nanos)));
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
}
