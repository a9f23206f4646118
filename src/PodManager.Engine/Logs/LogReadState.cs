using PodManager.Engine.Resilience;

namespace PodManager.Engine.Logs;

/// <summary>Where a read of one container's log stands.</summary>
internal enum LogReadPhase
{
    /// <summary>Streams with <c>follow=true</c> until the container ends.</summary>
    Following,

    /// <summary>The container has ended: plain reads from the cursor until the log's last line (<see cref="LogReadState.EndOfLog"/>) is delivered.</summary>
    CatchingUp,

    /// <summary>A plain read (no follow): until a read comes back past where the last one stopped.</summary>
    Reading,
}

/// <summary>What <see cref="PodLogReader"/> does after a stream ended.</summary>
internal enum LogStep
{
    /// <summary>Open the next stream, from the cursor.</summary>
    ReadAgain,

    /// <summary>Following: ask whether the container has ended, then <see cref="LogReadState.AfterContainerCheck"/>.</summary>
    CheckContainer,

    /// <summary>The container has ended: read its last line's stamp (<c>tailLines=1</c>), then <see cref="LogReadState.AfterTail"/>.</summary>
    ConfirmTail,

    /// <summary>Every line has been delivered.</summary>
    Done,

    /// <summary>The streams keep breaking: the read fails with the last break (<see cref="LogReadState.StreamError"/>).</summary>
    Fail,
}

/// <summary>
/// Everything a read of one container's log decides by, and the rules that decide: which line is new
/// (<see cref="TryDeliver"/>), and what follows a stream that ended (<see cref="AfterStream"/>,
/// <see cref="AfterContainerCheck"/>, <see cref="AfterTail"/>). <see cref="PodLogReader"/> reads the streams and asks
/// the questions; this class only decides, so each rule of exactly-once is one method here.
/// </summary>
internal sealed class LogReadState(LogRequest request, RetryPolicy retry)
{
    /// <summary>Reads that ended before the position are not trusted for ever: after this many the lines are gone (rotated away).</summary>
    public const int MaxShortReads = 20;

    public LogReadPhase Phase { get; private set; } = request.Follow ? LogReadPhase.Following : LogReadPhase.Reading;

    /// <summary>The position: the last line delivered, so a resumed read delivers each line once.</summary>
    public LogCursor Cursor { get; } = new();

    /// <summary>Once the container has ended: the stamp of its log's last line, which the read must deliver before it is done.</summary>
    public long? EndOfLog { get; private set; }

    /// <summary>What is left of <see cref="LogRequest.LimitBytes"/>, counted as kubectl counts it (message and newline).</summary>
    public long? RemainingBytes { get; private set; } = request.LimitBytes;

    public bool LimitReached => RemainingBytes <= 0;

    /// <summary>Streams that broke in a row (<see cref="BackOffOptions.LogStreamBreaks"/>): too many fail the read.</summary>
    public BackOff BrokenStreams { get; } = retry.BackOff(BackOffOptions.LogStreamBreaks);

    /// <summary>Reads in a row that brought no line (<see cref="BackOffOptions.QuietStream"/>): the next one waits.</summary>
    public BackOff EmptyReads { get; } = retry.BackOff(BackOffOptions.QuietStream);

    /// <summary>
    /// Cuts in a row of streams that answered with the log but were cut before a new line (<see cref="CutsWithoutNews"/>): a
    /// resume re-reads the whole second of the cursor (the API server passes <c>sinceTime</c> to the kubelet in seconds), so a
    /// proxy that cuts every stream after a line or two makes no progress until it stops. Each such cut costs one request and
    /// no wait; after this many in a row the read fails.
    /// </summary>
    public const int MaxCutsWithoutNews = 200;

    /// <summary>Reads that ended before they found a line past the position.</summary>
    public int ShortReads { get; private set; }

    /// <summary>Streams in a row that answered with lines, all already delivered, and were then cut.</summary>
    public int CutsWithoutNews { get; private set; }

    /// <summary>Lines the current stream delivered.</summary>
    public int Delivered { get; private set; }

    /// <summary>Lines the current stream brought, those already delivered included.</summary>
    public int Received { get; private set; }

    /// <summary>Why the current stream broke (no answer, or cut); null for a stream that ended cleanly.</summary>
    public Exception? StreamError { get; private set; }

    /// <summary>Whether the next read waits first: one that brought nothing, while following or catching up or after a break, backs off; a cut stream that delivered lines resumes at once.</summary>
    public bool WaitsBeforeNextRead => EmptyReads.Failures > 0 && (Phase != LogReadPhase.Reading || StreamError is not null);

    /// <summary>A stream opens from <see cref="LogCursor.LastTimestamp"/> (the request's own window the first time).</summary>
    public void BeginStream()
    {
        Cursor.BeginRead();
        Delivered = 0;
        Received = 0;
        StreamError = null;
    }

    /// <summary>
    /// Whether <paramref name="line"/> is new: a resumed read re-sends what was delivered, which the cursor drops. A new line
    /// is cut to what is left of the byte limit, never inside a character.
    /// </summary>
    public bool TryDeliver(ref RawLogLine line)
    {
        Received++;
        if (line.Nanoseconds is { } nanos && Cursor.IsDuplicate(nanos))
        {
            return false;
        }

        if (RemainingBytes is { } budget)
        {
            var whole = line.Message.Length + 1 <= budget;
            line = line with { Message = Truncate(line.Message, budget) };
            RemainingBytes = whole ? budget - line.Message.Length - 1 : 0;
        }

        Delivered++;
        return true;
    }

    /// <summary>The stream broke: no answer, or cut in the middle. What it delivered stays delivered.</summary>
    public void StreamBroke(Exception error) => StreamError = error;

    /// <summary>A stream ended (or broke, or was given up as idle): what next.</summary>
    public LogStep AfterStream()
    {
        // A stream that was cut after it answered with the log is no failure of the server: it is resumed at once, whatever
        // the cut rate, and only a run of such cuts that bring nothing new is bounded (MaxCutsWithoutNews). A break without an
        // answer is counted until a stream ends cleanly or brings news, and waits before the next; too many in a row fail the read.
        // A cut need not break the stream: a proxy may end it cleanly. A follow stream ends before its container does only
        // when cut, and a catch-up read that ends cleanly before the log's last line (which is there: its stamp was just read)
        // was cut too, so both count as cuts; taken for a log that lost its lines, the rest of the log would be dropped unsaid.
        var cut = StreamError is not null || Phase == LogReadPhase.Following || (Phase == LogReadPhase.CatchingUp && Cursor.LastTimestamp < EndOfLog);
        var answeredThenCut = cut && Received > 0;
        if (StreamError is null || Delivered > 0)
        {
            BrokenStreams.Reset();
        }
        else if (!answeredThenCut && !BrokenStreams.Fail())
        {
            return LogStep.Fail;
        }

        CutsWithoutNews = answeredThenCut && Delivered == 0 ? CutsWithoutNews + 1 : 0;
        if (CutsWithoutNews > MaxCutsWithoutNews)
        {
            StreamError ??= new IOException($"The log stream was cut {CutsWithoutNews} times in a row before it brought a line not already delivered.");
            return LogStep.Fail;
        }

        if (Delivered > 0 || answeredThenCut)
        {
            EmptyReads.Reset();
        }
        else
        {
            EmptyReads.Fail();
        }

        switch (Phase)
        {
            case LogReadPhase.Following:
                // A follow stream ends because the container did, or because it was cut: only the container can tell.
                return LogStep.CheckContainer;
            case LogReadPhase.CatchingUp:
                // Done once the log's last line is delivered; a catch-up that keeps getting an empty log means that line is
                // gone. A cut stream proves nothing about what the log still holds, so only clean, empty reads count.
                return Cursor.LastTimestamp >= EndOfLog || (Received == 0 && StreamError is null && ++ShortReads >= MaxShortReads) ? LogStep.Done : LogStep.ReadAgain;
            default:
                // A plain read that ended cleanly past where the last one stopped is complete. One that keeps ending before it
                // finds a log that no longer holds those lines (rotated away): there is nothing more to read.
                return StreamError is null && (Cursor.ReachedPosition || ++ShortReads >= MaxShortReads) ? LogStep.Done : LogStep.ReadAgain;
        }
    }

    /// <param name="ended">Whether the container has ended; null when the pod is gone.</param>
    public LogStep AfterContainerCheck(bool? ended) => ended switch
    {
        // The pod is gone, and its log with it.
        null => LogStep.Done,

        // A stream that ended before the container did is resumed from the cursor.
        false => LogStep.ReadAgain,

        // After the container ended, the tail is confirmed with tailLines=1, which no cut can shorten.
        true => LogStep.ConfirmTail,
    };

    /// <param name="lastStamp">The stamp of the ended container's last line; null for an empty log.</param>
    public LogStep AfterTail(long? lastStamp)
    {
        EndOfLog = lastStamp;
        if (lastStamp is null || Cursor.LastTimestamp >= lastStamp)
        {
            return LogStep.Done;
        }

        // A cut just before the end hid lines: plain reads from the cursor fetch them, until the last one is delivered.
        Phase = LogReadPhase.CatchingUp;
        return LogStep.ReadAgain;
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
}
