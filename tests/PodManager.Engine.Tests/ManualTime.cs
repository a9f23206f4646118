namespace PodManager.Engine.Tests;

/// <summary>A clock the test moves by hand, so timeouts are tested without sleeping.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
