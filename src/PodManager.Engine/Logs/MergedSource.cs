using System.Threading.Channels;

namespace PodManager.Engine.Logs;

/// <summary>
/// One container's log inside <see cref="LogMerger"/>: the task that reads it into a small bounded buffer, its stream
/// state (<see cref="LogSourceState"/>), the line it offers the merge (its head) and whether it has ended.
/// </summary>
/// <remarks>Used by the merge loop alone, except the buffer, which the reading task fills.</remarks>
internal sealed class MergedSource
{
    private const int BufferedLines = 1024;

    private readonly Channel<StampedLine> lines = Channel.CreateBounded<StampedLine>(new BoundedChannelOptions(BufferedLines) { SingleWriter = true });
    private readonly TimeProvider timeProvider;
    private StampedLine? head;
    private bool ended;
    private Task<bool>? readable;

    private MergedSource(TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        State = new LogSourceState(timeProvider);
    }

    public LogSourceState State { get; }

    /// <summary>Offers no line and has not ended: a line may still come from it.</summary>
    public bool IsSilent => head is null && !ended;

    /// <summary>Completes at the next change of <see cref="LogSourceState.IsOpening"/> after the last <see cref="View"/>.</summary>
    public Task Changed { get; private set; } = Task.CompletedTask;

    /// <summary>Starts reading <paramref name="source"/> into the buffer.</summary>
    public static MergedSource Start(Func<LogSourceState, CancellationToken, IAsyncEnumerable<KPodLogLine>> source, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var merged = new MergedSource(timeProvider);
        _ = Task.Run(() => merged.FillAsync(source, cancellationToken), CancellationToken.None);
        return merged;
    }

    /// <summary>Takes the next buffered line as the head, or notes the end once the buffer is drained (rethrowing the source's failure).</summary>
    public async ValueTask TakeHeadAsync()
    {
        if (!IsSilent)
        {
            return;
        }

        if (lines.Reader.TryRead(out var next))
        {
            head = next;
        }
        else if (lines.Reader.Completion.IsCompleted)
        {
            await lines.Reader.Completion.ConfigureAwait(false);
            ended = true;
        }
    }

    /// <summary>The source as the merge decides by; its <see cref="Changed"/> is taken first, so no change after the look is missed.</summary>
    public MergeView View()
    {
        Changed = State.Changed;
        return new MergeView(head?.Nanos, head is { } line ? timeProvider.GetElapsedTime(line.ArrivedAt) : TimeSpan.Zero, ended, State.IsOpening, State.SinceSettled);
    }

    /// <summary>Hands the head over to the output.</summary>
    public KPodLogLine Release()
    {
        var line = head!.Value.Line;
        head = null;
        return line;
    }

    /// <summary>Completes when a line is buffered or the source ended; one outstanding wait, reused until it completes.</summary>
    public Task WhenReadable(CancellationToken cancellationToken)
    {
        if (readable is null || readable.IsCompleted)
        {
            readable = lines.Reader.WaitToReadAsync(cancellationToken).AsTask();
        }

        return readable;
    }

    private async Task FillAsync(Func<LogSourceState, CancellationToken, IAsyncEnumerable<KPodLogLine>> source, CancellationToken cancellationToken)
    {
        var last = long.MinValue;
        try
        {
            await foreach (var line in source(State, cancellationToken).ConfigureAwait(false))
            {
                // A line without a timestamp continues the one before it and sorts with it.
                if (line.UnixNanoseconds is { } nanos)
                {
                    last = nanos;
                }

                await lines.Writer.WriteAsync(new StampedLine(line, last, timeProvider.GetTimestamp()), cancellationToken).ConfigureAwait(false);
            }

            lines.Writer.TryComplete();
        }
        catch (Exception e)
        {
            lines.Writer.TryComplete(e);
        }
    }

    private readonly record struct StampedLine(KPodLogLine Line, long Nanos, long ArrivedAt);
}
