using System.Globalization;
using System.Text;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>The kubelet's log timestamp: RFC3339Nano with a fixed 9 fractional digits (RFC3339NanoFixed).</summary>
internal static class LogTimestamp
{
    public const int Length = 30;

    public static void Write(DateTime utc, Span<byte> destination)
    {
        // DateTime has 100 ns ticks: seven digits, padded to the nine the kubelet always prints.
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
        Encoding.ASCII.GetBytes(text, destination);
    }

    public static DateTime Read(ReadOnlySpan<byte> source)
    {
        var text = Encoding.ASCII.GetString(source[..Length]);
        return DateTime.ParseExact(text[..27] + "Z", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
