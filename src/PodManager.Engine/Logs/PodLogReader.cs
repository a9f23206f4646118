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
/// (<see cref="FollowIdleBound"/>). This class reads streams and asks the API; what to do after each stream is
/// decided by <see cref="LogReadState"/>. Lines travel as bytes (<see cref="RawLogLine"/>) and become objects
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
    public async IAsyncEnumerable<KPodLogLine> ReadAsync(
        string ns, string pod, string container, LogRequest request, LogSourceState? source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in ReadRawAsync(ns, pod, container, request, source, cancellationToken).ConfigureAwait(false))
        {
            // Lines keep a '\r' before their '\n' for CopyAsync; as text, "\r\n" ends a line as "\n" does.
            var bytes = line.Message.Span;
            var message = Encoding.UTF8.GetString(bytes.EndsWith("\r"u8) ? bytes[..^1] : bytes);
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
        await foreach (var line in ReadRawAsync(ns, pod, container, request, source: null, cancellationToken).ConfigureAwait(false))
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

    /// <summary>Reads streams of the log until the rules of <see cref="LogReadState"/> say every line has been delivered.</summary>
    private async IAsyncEnumerable<RawLogLine> ReadRawAsync(
        string ns, string pod, string container, LogRequest request, LogSourceState? source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new LogReadState(request, retry);
        await using var idleBound = new FollowIdleBound(token => containerEnd(ns, pod, container, token), followIdleTimeout, retry.TimeProvider);
        while (true)
        {
            var uri = BuildUri(ns, pod, container, request, state.Phase == LogReadPhase.Following, state.Cursor.LastTimestamp);
            await foreach (var line in ReadStreamAsync(uri, state, idleBound, source, cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }

            if (state.LimitReached)
            {
                yield break;
            }

            // Until the next stream opens, this container may write lines that others must not overtake.
            source?.SetOpening(true);
            var next = state.AfterStream();
            if (next == LogStep.CheckContainer)
            {
                var ended = await containerEnded(ns, pod, container, cancellationToken).ConfigureAwait(false);
                if (ended == false)
                {
                    // The container runs (again): a stream given up as idle was premature; watch for its next end.
                    idleBound.Rearm();
                }

                next = state.AfterContainerCheck(ended);
            }

            if (next == LogStep.ConfirmTail)
            {
                next = state.AfterTail(await ReadLastTimestampAsync(ns, pod, container, cancellationToken).ConfigureAwait(false));
            }

            switch (next)
            {
                case LogStep.Done:
                    yield break;
                case LogStep.Fail:
                    throw state.StreamError!;
            }

            if (state.WaitsBeforeNextRead)
            {
                await state.EmptyReads.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads one stream of the log to its end, delivering the lines <see cref="LogReadState.TryDeliver"/> finds new. A break
    /// (no answer, or a cut) ends it as <see cref="LogReadState.StreamError"/>; while following, a stream that stays silent
    /// after the container ended is given up after the idle timeout (<see cref="FollowIdleBound"/>), as if it had ended.
    /// </summary>
    private async IAsyncEnumerable<RawLogLine> ReadStreamAsync(
        string uri, LogReadState state, FollowIdleBound idleBound, LogSourceState? source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        state.BeginStream();
        HttpResponseMessage? response = null;
        source?.SetOpening(true);
        try
        {
            response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            source?.SetOpening(false);
        }
        catch (Exception e) when (state.BrokenStreams.Retries(e, cancellationToken))
        {
            state.StreamBroke(e);
        }

        if (response is null)
        {
            yield break;
        }

        using (response)
        {
            using var streamStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new NewlineReader(stream, keepCarriageReturn: true);
            var follow = state.Phase == LogReadPhase.Following;
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
                            await streamStop.CancelAsync().ConfigureAwait(false);
                            await ((Task)waiting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                            yield break;
                        }

                        read = await waiting.ConfigureAwait(false);
                    }
                    else
                    {
                        read = await next.ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (state.BrokenStreams.Retries(e, cancellationToken))
                {
                    state.StreamBroke(e);
                    yield break;
                }

                if (!read)
                {
                    yield break;
                }

                var line = Split(reader.Line);
                if (!state.TryDeliver(ref line))
                {
                    continue;
                }

                yield return line;
                if (state.LimitReached)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The stamp of a finished container's last line (one line, so no cut can shorten it), or null for an empty log.</summary>
    private async Task<long?> ReadLastTimestampAsync(string ns, string pod, string container, CancellationToken cancellationToken)
    {
        var uri = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/log?container={Uri.EscapeDataString(container)}&timestamps=true&tailLines=1";
        var backOff = retry.BackOff(BackOffOptions.LogTail(retry.Options));
        while (true)
        {
            try
            {
                using var response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var reader = new NewlineReader(stream);
                return await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false) ? Split(reader.Line).Nanoseconds : null;
            }
            catch (Exception e) when (backOff.ShouldRetry(e, cancellationToken))
            {
                await backOff.WaitAsync(cancellationToken).ConfigureAwait(false);
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
