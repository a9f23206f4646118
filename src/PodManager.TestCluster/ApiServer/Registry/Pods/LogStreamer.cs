using System.Buffers;
using System.IO.Pipelines;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>How a log stream is cut short by the fault API: after so many lines, closed or reset.</summary>
internal sealed record LogCut(int AfterLines, bool Abort);

/// <summary>
/// Streams a container log from disk with the kubelet's options: tailLines, since, limitBytes, timestamps, follow.
/// Memory stays flat whatever the log size. Every line is flushed on its own, as the kubelet's flush writer
/// does, so nothing waits in a buffer; a follower waits on the log's commit signal and ends when the run has
/// ended and everything was sent (or, held open by the fault API, stays open silent until the client leaves).
/// </summary>
internal static class LogStreamer
{
    private const int ChunkSize = 64 * 1024;
    private const int PrefixLength = LogTimestamp.Length + 1;

    /// <summary>Returns true when the stream was cut by <paramref name="cut"/> and the connection should be reset.</summary>
    public static async Task<bool> CopyAsync(LogFile log, PodLogQuery query, PipeWriter output, LogCut? cut, bool holdOpen, CancellationToken cancellationToken)
    {
        await using var stream = log.OpenRead();
        var committed = log.CommittedLength;
        var offset = query.TailLines is { } tail ? LogTail.FindStart(stream, committed, tail) : 0L;
        if (query.Since is { } since)
        {
            offset = Math.Max(offset, log.OffsetBefore(since));
        }

        stream.Position = offset;
        var buffer = new byte[ChunkSize];
        var filled = 0;
        var remainingBytes = query.LimitBytes ?? long.MaxValue;
        var lines = 0;
        while (true)
        {
            var available = (int)Math.Min(buffer.Length - filled, committed - stream.Position);
            if (available > 0)
            {
                filled += await stream.ReadAsync(buffer.AsMemory(filled, available), cancellationToken);
            }

            var consumed = 0;
            int newline;
            while ((newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n')) >= 0)
            {
                var line = buffer.AsSpan(consumed, newline + 1);
                consumed += newline + 1;
                if (line.Length <= PrefixLength || (query.Since is { } from && LogTimestamp.Read(line) < from))
                {
                    continue;
                }

                var text = query.Timestamps ? line : line[PrefixLength..];
                if (text.Length >= remainingBytes)
                {
                    output.Write(text[..(int)remainingBytes]);
                    await output.FlushAsync(cancellationToken);
                    return false;
                }

                output.Write(text);
                remainingBytes -= text.Length;
                await output.FlushAsync(cancellationToken);
                if (cut is not null && ++lines >= cut.AfterLines)
                {
                    return cut.Abort;
                }
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            if (stream.Position < committed)
            {
                continue;
            }

            if (!query.Follow || log.IsComplete && committed == log.CommittedLength)
            {
                if (query.Follow && holdOpen)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return false;
            }

            await log.WaitForMoreAsync(committed, cancellationToken);
            committed = log.CommittedLength;
        }
    }
}
