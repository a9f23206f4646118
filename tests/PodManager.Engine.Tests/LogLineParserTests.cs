using PodManager.Engine.Logs;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LogLineParserTests
{
    [Fact] // Airflow's test_parse_log_line, without a timestamp
    public void LineWithoutTimestampIsReturnedWhole()
    {
        var (timestamp, message) = LogLineParser.ParseLogLine("This should return no timestamp");
        Assert.Null(timestamp);
        Assert.Equal("This should return no timestamp", message);
    }

    [Fact] // Airflow's test_parse_log_line, with one
    public void TimestampAndMessageAreSplitAtTheFirstSpace()
    {
        var (timestamp, message) = LogLineParser.ParseLogLine("2020-10-08T14:16:17.793417674Z Valid message.\n");
        Assert.Equal(new DateTimeOffset(2020, 10, 8, 14, 16, 17, TimeSpan.Zero).AddTicks(7934177), timestamp);
        Assert.Equal("Valid message.", message);
    }

    [Fact]
    public void AnyLeadingDateCountsAsATimestampAsInAirflow()
    {
        var (timestamp, message) = LogLineParser.ParseLogLine("2021-01-01 hi");
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), timestamp);
        Assert.Equal("hi", message);
    }

    [Fact]
    public void AnUnparsableFirstTokenKeepsTheOriginalUnstrippedLine()
    {
        var (timestamp, message) = LogLineParser.ParseLogLine("  not-a-date message  ");
        Assert.Null(timestamp);
        Assert.Equal("  not-a-date message  ", message);
    }

    [Fact]
    public void NanosecondsSurviveParsingAndFormatting()
    {
        Assert.True(LogLineParser.TryParseTimestamp("2024-05-01T10:00:00.123456789Z", out _, out var nanos));
        Assert.Equal(123456789, nanos % 1_000_000_000);
        Assert.Equal("2024-05-01T10:00:00.123456789Z", KubeTimestamp.Format(nanos));
    }

    [Fact]
    public void ShortFractionsArePaddedToNanoseconds()
    {
        Assert.True(LogLineParser.TryParseTimestamp("2024-05-01T10:00:00.5Z", out _, out var nanos));
        Assert.Equal("2024-05-01T10:00:00.500000000Z", KubeTimestamp.Format(nanos));
        Assert.True(LogLineParser.TryParseTimestamp("2024-05-01T10:00:00Z", out _, out var whole));
        Assert.Equal("2024-05-01T10:00:00.000000000Z", KubeTimestamp.Format(whole));
    }
}
