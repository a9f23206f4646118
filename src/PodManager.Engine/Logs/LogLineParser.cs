using System.Globalization;

namespace PodManager.Engine.Logs;

/// <summary>
/// Airflow's parse_log_line: a line from <c>timestamps=true</c> is "&lt;RFC3339Nano&gt; &lt;message&gt;".
/// Without a space, or when the first token is not a timestamp, the whole line is the message.
/// </summary>
public static class LogLineParser
{
    public static (DateTimeOffset? Timestamp, string Message) ParseLogLine(string line)
    {
        var trimmed = line.Trim();
        var space = trimmed.IndexOf(' ');
        if (space <= 0 || !TryParseTimestamp(trimmed.AsSpan(0, space), out var timestamp, out _))
        {
            return (null, line);
        }

        return (timestamp, trimmed[(space + 1)..]);
    }

    /// <summary>Parses an RFC3339 timestamp; <paramref name="unixNanoseconds"/> keeps all nine digits, which DateTimeOffset cannot.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset timestamp, out long unixNanoseconds)
    {
        unixNanoseconds = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out timestamp))
        {
            return false;
        }

        var seconds = timestamp.ToUnixTimeSeconds();
        unixNanoseconds = (seconds * 1_000_000_000L) + FractionNanoseconds(text);
        return true;
    }

    private static long FractionNanoseconds(ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            return 0;
        }

        long nanos = 0;
        var digits = 0;
        for (var i = dot + 1; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            if (digits < 9)
            {
                nanos = (nanos * 10) + (text[i] - '0');
                digits++;
            }
        }

        for (; digits < 9; digits++)
        {
            nanos *= 10;
        }

        return nanos;
    }
}
