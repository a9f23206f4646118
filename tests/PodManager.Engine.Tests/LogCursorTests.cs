using PodManager.Engine.Logs;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LogCursorTests
{
    [Fact]
    public void AFirstReadDeliversEveryLineIncludingEqualTimestamps()
    {
        var cursor = new LogCursor();
        cursor.BeginRead();
        Assert.False(cursor.IsDuplicate(10));
        Assert.False(cursor.IsDuplicate(10));
        Assert.False(cursor.IsDuplicate(11));
        Assert.Equal(11, cursor.LastTimestamp);
        Assert.Equal(1, cursor.LinesAtLastTimestamp);
    }

    [Fact]
    public void AResumedReadSkipsWhatWasDeliveredEvenWhenTheServerRereadsTheWholeSecond()
    {
        var cursor = new LogCursor();
        cursor.BeginRead();
        foreach (var t in new long[] { 5, 10, 10 })
        {
            Assert.False(cursor.IsDuplicate(t));
        }

        // The stream was cut; the server resends from the start of the second.
        cursor.BeginRead();
        Assert.True(cursor.IsDuplicate(5));
        Assert.True(cursor.IsDuplicate(10));
        Assert.True(cursor.IsDuplicate(10));
        Assert.False(cursor.IsDuplicate(10)); // a third line at t=10 is new
        Assert.False(cursor.IsDuplicate(12));
        Assert.Equal(12, cursor.LastTimestamp);
    }

    [Fact]
    public void AResumeThatStartsExactlyAtTheLastTimestampAlsoDeduplicates()
    {
        var cursor = new LogCursor();
        cursor.BeginRead();
        Assert.False(cursor.IsDuplicate(7));
        cursor.BeginRead();
        Assert.True(cursor.IsDuplicate(7));
        Assert.False(cursor.IsDuplicate(8));
    }
}
