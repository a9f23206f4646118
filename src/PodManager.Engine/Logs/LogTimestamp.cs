using System.Text;

namespace PodManager.Engine.Logs;

/// <summary>
/// The kubelet's line stamp as nanoseconds since the epoch. The usual form, RFC3339Nano with nine digits in
/// UTC, is read straight from the bytes (a log of a million lines must not pay for a general date parser);
/// anything else RFC3339 takes the general path.
/// </summary>
internal static class LogTimestamp
{
    private const int FixedLength = 30; // 2006-01-02T15:04:05.000000000Z

    public static bool TryParse(ReadOnlySpan<byte> stamp, out long nanoseconds)
    {
        if (stamp.Length == FixedLength && stamp[4] == '-' && stamp[7] == '-' && stamp[10] == 'T' && stamp[13] == ':'
            && stamp[16] == ':' && stamp[19] == '.' && stamp[29] == 'Z'
            && Digits(stamp, 0, 4, out var year) && Digits(stamp, 5, 2, out var month) && Digits(stamp, 8, 2, out var day)
            && Digits(stamp, 11, 2, out var hour) && Digits(stamp, 14, 2, out var minute) && Digits(stamp, 17, 2, out var second)
            && Digits(stamp, 20, 9, out var fraction)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth((int)year, (int)month) && hour < 24 && minute < 60 && second < 60)
        {
            var date = new DateTime((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second, DateTimeKind.Utc);
            nanoseconds = ((date.Ticks - DateTime.UnixEpoch.Ticks) * 100) + fraction;
            return true;
        }

        return LogLineParser.TryParseTimestamp(Encoding.ASCII.GetString(stamp), out _, out nanoseconds);
    }

    public static DateTimeOffset ToDateTimeOffset(long nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);

    private static bool Digits(ReadOnlySpan<byte> text, int offset, int count, out long value)
    {
        value = 0;
        for (var i = offset; i < offset + count; i++)
        {
            var digit = text[i] - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
