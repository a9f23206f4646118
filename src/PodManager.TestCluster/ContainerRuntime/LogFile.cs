namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// One container run's log on disk, as the kubelet keeps it: one line per record, <c>&lt;timestamp&gt; &lt;text&gt;\n</c>,
/// the timestamp fixed-width. The writer commits batches; readers only ever read committed bytes and are woken
/// by each commit, so following a log never polls. A sparse index of (offset, time) makes sinceTime cheap on large
/// logs without keeping lines in memory.
/// </summary>
internal sealed class LogFile : IDisposable
{
    private const int IndexEvery = 4096;

    private readonly Lock gate = new();
    private readonly FileStream writer;
    private readonly List<(long Offset, DateTime Time)> index = [];
    private TaskCompletionSource changed = NewSignal();
    private long committedLength;
    private long writtenLength;
    private long lineCount;
    private DateTime lastStamp;
    private bool complete;

    public LogFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
    }

    public string Path { get; }

    public long CommittedLength => Interlocked.Read(ref committedLength);

    public bool IsComplete => Volatile.Read(ref complete);

    /// <summary>Buffers one line stamped no earlier than <paramref name="readAt"/> and strictly after the previous line,
    /// so timestamps order the lines of a run.</summary>
    public void Append(ReadOnlySpan<byte> text, DateTime readAt)
    {
        lock (gate)
        {
            var stamp = readAt > lastStamp ? readAt : lastStamp.AddTicks(1);
            lastStamp = stamp;
            if (lineCount++ % IndexEvery == 0)
            {
                index.Add((writtenLength, stamp));
            }

            Span<byte> prefix = stackalloc byte[LogTimestamp.Length + 1];
            LogTimestamp.Write(stamp, prefix);
            prefix[^1] = (byte)' ';
            writer.Write(prefix);
            writer.Write(text);
            writer.WriteByte((byte)'\n');
            writtenLength += prefix.Length + text.Length + 1;
        }
    }

    /// <summary>Makes everything appended so far visible to readers and wakes followers.</summary>
    public void Commit()
    {
        lock (gate)
        {
            writer.Flush();
            Interlocked.Exchange(ref committedLength, writtenLength);
        }

        Signal();
    }

    /// <summary>Marks the run as ended: followers stop once they have read everything.</summary>
    public void Complete()
    {
        Commit();
        Volatile.Write(ref complete, true);
        Signal();
    }

    /// <summary>Waits until more than <paramref name="knownLength"/> bytes are committed or the log is complete.</summary>
    public async Task WaitForMoreAsync(long knownLength, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref this.changed);
        if (CommittedLength > knownLength || IsComplete)
        {
            return;
        }

        await changed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The offset of the last indexed line stamped before <paramref name="since"/>; lines before it are older.</summary>
    public long OffsetBefore(DateTime since)
    {
        lock (gate)
        {
            var offset = 0L;
            foreach (var (entryOffset, time) in index)
            {
                if (time >= since)
                {
                    break;
                }

                offset = entryOffset;
            }

            return offset;
        }
    }

    public FileStream OpenRead() =>
        new(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>The last lines' text, for <c>FallbackToLogsOnError</c> (at most 80 lines and 2048 bytes, like the kubelet).</summary>
    public string Tail(int maxLines, int maxBytes)
    {
        using var stream = OpenRead();
        var length = CommittedLength;
        var start = Math.Max(LogTail.FindStart(stream, length, maxLines), Math.Max(0, length - (64 * 1024)));
        var bytes = new byte[length - start];
        stream.Position = start;
        stream.ReadExactly(bytes);
        var lines = System.Text.Encoding.UTF8.GetString(bytes)
            .Split('\n')
            .Where(line => line.Length > LogTimestamp.Length)
            .Select(line => line[(LogTimestamp.Length + 1)..]);
        var text = string.Join("\n", lines);
        return text.Length > maxBytes ? text[^maxBytes..] : text;
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer.Dispose();
        }
    }

    private void Signal() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
