namespace PodManager.TestCluster.Store;

/// <summary>The precisions of Kubernetes times: <c>metav1.Time</c> has seconds, <c>metav1.MicroTime</c> microseconds.</summary>
internal static class Timestamps
{
    public static DateTime Seconds(TimeProvider time) => Seconds(time.GetUtcNow());

    public static DateTime Seconds(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public static DateTime Micro(TimeProvider time)
    {
        var utc = time.GetUtcNow().UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
    }
}
