using System.Runtime.CompilerServices;

namespace PodManager.Engine.Logs;

/// <summary>
/// Reads several containers' logs at once and emits their lines in timestamp order. Each container is read by its own
/// task into a small bounded buffer (<see cref="MergedSource"/>), so memory does not grow with the logs. Which line goes
/// out next, or how long to hold it, is decided by <see cref="Next"/> from what each source shows: a line is released once
/// every other live container has shown a later line (or ended); while following, a quiet container holds others back
/// for at most <see cref="FollowWindow"/>, and one whose stream is still opening (<see cref="LogSourceState"/>) for at
/// most <see cref="OpeningWindow"/>.
/// </summary>
internal static class LogMerger
{
    public static readonly TimeSpan FollowWindow = TimeSpan.FromMilliseconds(250);

    // Long enough for a stream to open on a loaded machine, short enough that a stream stuck in retries
    // (an outage) only delays the other containers' lines, never stops them.
    public static readonly TimeSpan OpeningWindow = TimeSpan.FromSeconds(10);

    public static async IAsyncEnumerable<KPodLogLine> MergeAsync(
        IReadOnlyList<Func<LogSourceState, CancellationToken, IAsyncEnumerable<KPodLogLine>>> sources, bool follow, TimeProvider timeProvider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var merged = sources.Select(source => MergedSource.Start(source, timeProvider, stop.Token)).ToList();
        try
        {
            while (true)
            {
                foreach (var source in merged)
                {
                    await source.TakeHeadAsync().ConfigureAwait(false);
                }

                var step = Next(merged.Select(s => s.View()).ToList(), follow);
                if (step.Action == MergeAction.Done)
                {
                    yield break;
                }

                if (step.Action == MergeAction.Release)
                {
                    yield return merged[step.Source].Release();
                    continue;
                }

                // One outstanding wait per silent source, reused until it completes, so a quiet container costs nothing.
                var silent = merged.Where(s => s.IsSilent).ToList();
                var waits = silent.Select(s => s.WhenReadable(stop.Token)).ToList();
                if (step.HoldFor is { } hold)
                {
                    waits.Add(Task.Delay(hold, timeProvider, stop.Token));
                    waits.AddRange(silent.Select(s => s.Changed));
                }

                await Task.WhenAny(waits).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What the merge does next, given what each source shows now (in the order the containers were asked for).</summary>
    internal static MergeStep Next(IReadOnlyList<MergeView> sources, bool follow)
    {
        var earliest = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].HeadStamp is { } stamp && (earliest < 0 || stamp < sources[earliest].HeadStamp))
            {
                earliest = i;
            }
        }

        if (earliest < 0)
        {
            return sources.All(s => s.Ended) ? new MergeStep(MergeAction.Done) : new MergeStep(MergeAction.Wait);
        }

        // Every other source has shown a later line, or ended: nothing earlier can come.
        var silent = sources.Where(s => s.IsSilent).ToList();
        if (silent.Count == 0)
        {
            return new MergeStep(MergeAction.Release, earliest);
        }

        // A plain read has every line coming: it waits for each source to speak.
        if (!follow)
        {
            return new MergeStep(MergeAction.Wait);
        }

        // Following, a silent source holds the line back only so long: longer while its stream is still opening. A stream
        // that opened a moment ago gets the same time to deliver as a line that just arrived.
        var window = silent.Any(s => s.Opening) ? OpeningWindow : FollowWindow;
        var age = silent.Select(s => s.SinceSettled).Append(sources[earliest].HeadAge).Min();
        return age < window ? new MergeStep(MergeAction.Wait, HoldFor: window - age) : new MergeStep(MergeAction.Release, earliest);
    }
}

/// <summary>What the merge can do next.</summary>
internal enum MergeAction
{
    /// <summary>Emit the line <see cref="MergeStep.Source"/> offers.</summary>
    Release,

    /// <summary>Wait for a silent source to deliver or end, or for <see cref="MergeStep.HoldFor"/> to pass (or its stream to open).</summary>
    Wait,

    /// <summary>Every source has ended and every line is out.</summary>
    Done,
}

internal readonly record struct MergeStep(MergeAction Action, int Source = -1, TimeSpan? HoldFor = null);

/// <summary>One source as the merge sees it at a moment.</summary>
/// <param name="HeadStamp">The stamp of the line it offers; null when it offers none.</param>
/// <param name="HeadAge">How long ago that line arrived.</param>
/// <param name="Ended">Its log has ended: no line will come.</param>
/// <param name="Opening">Its container runs but its stream is not open yet (<see cref="LogSourceState.IsOpening"/>).</param>
/// <param name="SinceSettled">How long ago its stream opened (<see cref="LogSourceState.SinceSettled"/>).</param>
internal readonly record struct MergeView(long? HeadStamp, TimeSpan HeadAge, bool Ended, bool Opening, TimeSpan SinceSettled)
{
    /// <summary>Offers no line and has not ended: a line may still come from it.</summary>
    public bool IsSilent => HeadStamp is null && !Ended;
}
