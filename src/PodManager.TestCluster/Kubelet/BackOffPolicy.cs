namespace PodManager.TestCluster.Kubelet;

/// <summary>The kubelet's exponential back-offs: 10 s doubling to 5 min by default, shortened by options for tests.</summary>
internal sealed record BackOffPolicy(TimeSpan CrashLoopBase, TimeSpan ImagePullBase, TimeSpan Max)
{
    /// <summary>How long a back-off lasts after <paramref name="failures"/> consecutive failures (1 = the first).</summary>
    public TimeSpan Delay(TimeSpan initial, int failures)
    {
        var ticks = initial.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>A container that ran this long resets its crash back-off (twice the maximum, ten minutes by default).</summary>
    public TimeSpan ResetAfter => Max * 2;

    /// <summary>Go's duration text for a back-off message, e.g. <c>10s</c>, <c>2m40s</c> or <c>500ms</c>.</summary>
    public static string Describe(TimeSpan delay)
    {
        if (delay < TimeSpan.FromSeconds(1))
        {
            return $"{(long)delay.TotalMilliseconds}ms";
        }

        var minutes = (long)delay.TotalMinutes;
        var seconds = delay.TotalSeconds - (minutes * 60);
        var secondsText = seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return minutes > 0 ? $"{minutes}m{secondsText}s" : $"{secondsText}s";
    }
}
