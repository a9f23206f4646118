using System.Globalization;

namespace PodManager;

/// <summary>The kubelet's RFC3339Nano form of a time: UTC, always nine fractional digits.</summary>
public static class KubeTimestamp
{
    public static string Format(long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanos);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
            + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }
}
