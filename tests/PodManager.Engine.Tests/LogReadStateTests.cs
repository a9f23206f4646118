using System.Text;
using PodManager.Engine.Logs;
using PodManager.Engine.Resilience;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>The rules of exactly-once log reading, one at a time, without a cluster: streams are played by hand.</summary>
public sealed class LogReadStateTests
{
    private static readonly RetryPolicy Retry = new(RetryOptions.Default, TimeProvider.System);

    [Fact]
    public void AFollowStreamThatEndedAsksTheContainerAndIsResumedFromTheCursorWhileItRuns()
    {
        var state = Following();
        Stream(state, 1, 2, 3);

        Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        Assert.Equal(LogStep.ReadAgain, state.AfterContainerCheck(ended: false));
        Assert.Equal(LogReadPhase.Following, state.Phase);
        Assert.False(state.WaitsBeforeNextRead, "a stream that delivered lines resumes at once");

        // The resumed stream re-sends from the last stamp; only what is new is delivered.
        Assert.Equal([4], Stream(state, 2, 3, 4));
    }

    [Fact]
    public void AfterTheContainerEndedTheTailIsConfirmedAndAHiddenTailIsReadUntilItsLastLine()
    {
        var state = Following();
        Stream(state, 1, 2);
        Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        Assert.Equal(LogStep.ConfirmTail, state.AfterContainerCheck(ended: true));

        // The log's last line is later than the cursor: a cut hid the tail.
        Assert.Equal(LogStep.ReadAgain, state.AfterTail(lastStamp: 5));
        Assert.Equal(LogReadPhase.CatchingUp, state.Phase);
        Assert.Equal(5, state.EndOfLog);

        Assert.Equal([3, 4], Stream(state, 2, 3, 4));
        Assert.Equal(LogStep.ReadAgain, state.AfterStream());
        Assert.Equal([5], Stream(state, 4, 5));
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(null)]
    public void AFollowEndsWhenTheLastLineOrAnEmptyLogIsAlreadyDelivered(long? lastStamp)
    {
        var state = Following();
        Stream(state, 1, 2);
        state.AfterStream();
        Assert.Equal(LogStep.ConfirmTail, state.AfterContainerCheck(ended: true));
        Assert.Equal(LogStep.Done, state.AfterTail(lastStamp));
    }

    [Fact]
    public void AFollowEndsWhenThePodIsGone()
    {
        var state = Following();
        Stream(state, 1);
        state.AfterStream();
        Assert.Equal(LogStep.Done, state.AfterContainerCheck(ended: null));
    }

    [Fact]
    public void ACatchUpThatKeepsFindingNothingGivesUpOnALineThatIsGone()
    {
        var state = CatchingUp(lastStamp: 9);

        // A catch-up that got an empty log backs off before the next.
        ReadShortUntilDone(state, backsOff: true, stamps: []);
    }

    [Fact]
    public void ACatchUpEndedCleanlyBeforeTheLastLineIsACutResumedAtOnceAndNeverTakenForALineThatIsGone()
    {
        // A proxy that ends each stream cleanly after its first line: the resume re-reads its whole second, so each catch-up
        // brings line 1 again and stops short of the log's last line, which is there (its stamp was just read).
        var state = CatchingUp(lastStamp: 3);
        for (var stream = 0; stream < LogReadState.MaxCutsWithoutNews; stream++)
        {
            Assert.Empty(Stream(state, 1));
            Assert.Equal(LogStep.ReadAgain, state.AfterStream());
            Assert.False(state.WaitsBeforeNextRead, "a stream that answered and was cut resumes at once");
        }

        Assert.Equal([2, 3], Stream(state, 1, 2, 3));
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    [Fact]
    public void CleanCutsWithoutNewsFailTheReadAfterTheirBoundWithAnErrorThatSaysSo()
    {
        var state = CatchingUp(lastStamp: 3);
        for (var stream = 0; stream < LogReadState.MaxCutsWithoutNews; stream++)
        {
            Stream(state, 1);
            Assert.Equal(LogStep.ReadAgain, state.AfterStream());
        }

        Stream(state, 1);
        Assert.Equal(LogStep.Fail, state.AfterStream());
        Assert.Contains($"cut {LogReadState.MaxCutsWithoutNews + 1} times in a row", Assert.IsType<IOException>(state.StreamError).Message);
    }

    [Fact]
    public void AFollowStreamEndedCleanlyWithOnlyOldLinesWhileTheContainerRunsIsResumedAtOnce()
    {
        var state = Following();
        Stream(state, 1);
        state.AfterStream();
        state.AfterContainerCheck(ended: false);

        Assert.Empty(Stream(state, 1));
        Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        Assert.False(state.WaitsBeforeNextRead, "a follow stream that answered ended before its container: it was cut");
        Assert.Equal(1, state.CutsWithoutNews);
    }

    [Fact]
    public void APlainReadIsCompleteOnceItEndsPastWhereTheLastOneStopped()
    {
        var state = Plain();
        Stream(state, 1, 2, 3);
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    [Fact]
    public void APlainReadThatBrokeIsResumedFromTheCursorAfterABackOffWhenItBroughtNothing()
    {
        var state = Plain();
        Stream(state, 1, 2);
        state.StreamBroke(new IOException("cut"));
        Assert.Equal(LogStep.ReadAgain, state.AfterStream());
        Assert.False(state.WaitsBeforeNextRead);

        Stream(state);
        state.StreamBroke(new HttpRequestException("refused"));
        Assert.Equal(LogStep.ReadAgain, state.AfterStream());
        Assert.True(state.WaitsBeforeNextRead);

        Assert.Equal([3], Stream(state, 1, 2, 3));
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    [Fact]
    public void APlainReadThatEndsBeforeThePositionIsReadAgainAtOnceButNotForEver()
    {
        var state = Plain();
        Stream(state, 1, 2, 3);
        state.StreamBroke(new IOException("cut"));
        state.AfterStream();

        // The log no longer holds lines 1..3 (rotated away): each read ends cleanly before the position, and is retried at once.
        ReadShortUntilDone(state, backsOff: false);
    }

    [Fact]
    public void TwentyBrokenStreamsInARowFailTheReadAndACleanOneStartsTheCountOver()
    {
        var state = Following();
        var cut = new IOException("cut");
        for (var stream = 1; stream < 20; stream++)
        {
            Stream(state);
            state.StreamBroke(cut);
            Assert.Equal(LogStep.CheckContainer, state.AfterStream());
            state.AfterContainerCheck(ended: false);
        }

        Stream(state);
        Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        Assert.Equal(0, state.BrokenStreams.Failures);

        for (var stream = 1; stream < 20; stream++)
        {
            Stream(state);
            state.StreamBroke(cut);
            state.AfterStream();
        }

        Stream(state);
        state.StreamBroke(cut);
        Assert.Equal(LogStep.Fail, state.AfterStream());
        Assert.Same(cut, state.StreamError);
    }

    [Fact]
    public void StreamsCutAfterEveryLineAreResumedAtOnceAndTheReadGoesOnOnceTheCutsStop()
    {
        // The resume from the cursor re-reads its whole second, and the cut comes after its first line, already delivered:
        // no news, yet no failure and no back-off, for as long as the cuts last (fewer than MaxCutsWithoutNews).
        var state = Following();
        var cut = new IOException("cut");
        Stream(state, 1);
        state.StreamBroke(cut);
        state.AfterStream();
        state.AfterContainerCheck(ended: false);
        for (var stream = 1; stream < LogReadState.MaxCutsWithoutNews; stream++)
        {
            Assert.Empty(Stream(state, 1));
            state.StreamBroke(cut);
            Assert.Equal(LogStep.CheckContainer, state.AfterStream());
            Assert.False(state.WaitsBeforeNextRead, "a stream that answered and was cut resumes at once");
            Assert.Equal(LogStep.ReadAgain, state.AfterContainerCheck(ended: false));
        }

        Assert.Equal([2, 3], Stream(state, 1, 2, 3));
        Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        Assert.Equal(0, state.CutsWithoutNews);
    }

    [Fact]
    public void ACatchUpCutBeforeItsNewsIsNeverTakenForALogThatLostItsLines()
    {
        var state = CatchingUp(lastStamp: 2);
        for (var stream = 0; stream < LogReadState.MaxShortReads * 2; stream++)
        {
            Stream(state, 1);
            state.StreamBroke(new IOException("cut"));
            Assert.Equal(LogStep.ReadAgain, state.AfterStream());
        }

        Assert.Equal([2], Stream(state, 1, 2));
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    [Fact]
    public void CutsWithoutNewsFailTheReadOnlyAfterTheirBound()
    {
        var state = Following();
        var cut = new IOException("cut");
        Stream(state, 1);
        state.AfterStream();
        for (var stream = 0; stream < LogReadState.MaxCutsWithoutNews; stream++)
        {
            Stream(state, 1);
            state.StreamBroke(cut);
            Assert.Equal(LogStep.CheckContainer, state.AfterStream());
        }

        Stream(state, 1);
        state.StreamBroke(cut);
        Assert.Equal(LogStep.Fail, state.AfterStream());
    }

    [Fact]
    public void TheByteLimitCountsMessageAndNewlineAndNeverSplitsACharacter()
    {
        var state = new LogReadState(new LogRequest { LimitBytes = 9 }, Retry);
        state.BeginStream();

        var first = Line(1, "abcd");
        Assert.True(state.TryDeliver(ref first));
        Assert.Equal("abcd", Encoding.UTF8.GetString(first.Message.Span));
        Assert.False(state.LimitReached);

        // 4 bytes are left; the fifth would be the second byte of "é".
        var second = Line(2, "abcé");
        Assert.True(state.TryDeliver(ref second));
        Assert.Equal("abc", Encoding.UTF8.GetString(second.Message.Span));
        Assert.True(state.LimitReached);
    }

    [Fact]
    public void LinesWithoutAStampAreAlwaysNew()
    {
        var state = Plain();
        state.BeginStream();
        var line = new RawLogLine(ReadOnlyMemory<byte>.Empty, Encoding.UTF8.GetBytes("no stamp"), null);
        Assert.True(state.TryDeliver(ref line));
        Assert.True(state.TryDeliver(ref line));
        Assert.Equal(2, state.Delivered);
    }

    /// <summary>Reads that find nothing past the position, until <see cref="LogReadState.MaxShortReads"/> of them end the read.</summary>
    private static void ReadShortUntilDone(LogReadState state, bool backsOff, long[]? stamps = null)
    {
        stamps ??= [1];
        for (var read = 1; read < LogReadState.MaxShortReads; read++)
        {
            Stream(state, stamps);
            Assert.Equal(LogStep.ReadAgain, state.AfterStream());
            Assert.Equal(backsOff, state.WaitsBeforeNextRead);
        }

        Stream(state, stamps);
        Assert.Equal(LogStep.Done, state.AfterStream());
    }

    private static LogReadState Following() => new(new LogRequest { Follow = true }, Retry);

    /// <summary>A follow that delivered line 1, saw its container end and found the log's last line at <paramref name="lastStamp"/>.</summary>
    private static LogReadState CatchingUp(long lastStamp)
    {
        var state = Following();
        Stream(state, 1);
        state.AfterStream();
        state.AfterContainerCheck(ended: true);
        Assert.Equal(LogStep.ReadAgain, state.AfterTail(lastStamp));
        return state;
    }

    private static LogReadState Plain() => new(new LogRequest(), Retry);

    /// <summary>One stream that sends lines with these stamps; returns the stamps delivered.</summary>
    private static List<long> Stream(LogReadState state, params long[] stamps)
    {
        state.BeginStream();
        var delivered = new List<long>();
        foreach (var stamp in stamps)
        {
            var line = Line(stamp, $"line {stamp}");
            if (state.TryDeliver(ref line))
            {
                delivered.Add(stamp);
            }
        }

        return delivered;
    }

    private static RawLogLine Line(long stamp, string message) =>
        new(Encoding.ASCII.GetBytes(stamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), Encoding.UTF8.GetBytes(message), stamp);
}
