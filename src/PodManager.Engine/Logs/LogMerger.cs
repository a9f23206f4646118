using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PodManager.Engine.Logs;

/// <summary>
/// Reads several containers' logs at once and emits their lines in timestamp order. Each container is
/// read by its own task into a small bounded channel, so memory does not grow with the logs. A line is
/// released once every other live container has shown a later line (or ended); while following, a
/// quiet container holds others back for at most <see cref="FollowWindow"/>, and one whose stream is still
/// opening (<see cref="LogSourceState"/>) for at most <see cref="OpeningWindow"/>.
/// </summary>
internal static class LogMerger
{
    public static readonly TimeSpan FollowWindow = TimeSpan.FromMilliseconds(250);

    // Long enough for a stream to open on a loaded machine, short enough that a stream stuck in retries
    // (an outage) only delays the other containers' lines, never stops them.
    public static readonly TimeSpan OpeningWindow = TimeSpan.FromSeconds(10);

    private const int BufferPerContainer = 1024;

    public static async IAsyncEnumerable<KPodLogLine> MergeAsync(
        IReadOnlyList<Func<LogSourceState, CancellationToken, IAsyncEnumerable<KPodLogLine>>> sources, bool follow, TimeProvider timeProvider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var states = sources.Select(_ => new LogSourceState(timeProvider)).ToList();
        var inputs = sources.Select((source, i) => Start(token => source(states[i], token), timeProvider, stop.Token)).ToList();
        try
        {
            var heads = new Stamped?[inputs.Count];
            var ended = new bool[inputs.Count];
            var readable = new Task<bool>?[inputs.Count];
            while (true)
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    if (heads[i] is null && !ended[i] && inputs[i].Reader.TryRead(out var next))
                    {
                        heads[i] = next;
                    }
                    else if (heads[i] is null && !ended[i] && inputs[i].Reader.Completion.IsCompleted)
                    {
                        await inputs[i].Reader.Completion.ConfigureAwait(false);
                        ended[i] = true;
                    }
                }

                var earliest = -1;
                for (var i = 0; i < heads.Length; i++)
                {
                    if (heads[i] is { } head && (earliest < 0 || head.Nanos < heads[earliest]!.Value.Nanos))
                    {
                        earliest = i;
                    }
                }

                if (earliest < 0 && ended.All(e => e))
                {
                    yield break;
                }

                var everyoneSpoke = Enumerable.Range(0, heads.Length).All(i => ended[i] || heads[i] is not null);
                TimeSpan? holdFor = null;
                List<Task> changes = [];
                if (earliest >= 0 && !everyoneSpoke && follow)
                {
                    var silent = Enumerable.Range(0, heads.Length).Where(i => !ended[i] && heads[i] is null).ToList();
                    changes = silent.Select(i => states[i].Changed).ToList();
                    var window = silent.Any(i => states[i].IsOpening) ? OpeningWindow : FollowWindow;

                    // A stream that opened a moment ago gets the same time to deliver as a line that just arrived.
                    var age = silent.Select(i => states[i].SinceSettled).Append(timeProvider.GetElapsedTime(heads[earliest]!.Value.ArrivedAt)).Min();
                    if (age < window)
                    {
                        holdFor = window - age;
                    }
                }

                if (earliest >= 0 && (everyoneSpoke || (follow && holdFor is null)))
                {
                    yield return heads[earliest]!.Value.Line;
                    heads[earliest] = null;
                    continue;
                }

                // One outstanding wait per container, reused until it completes, so a quiet container costs nothing.
                var waits = new List<Task>();
                for (var i = 0; i < inputs.Count; i++)
                {
                    if (heads[i] is null && !ended[i])
                    {
                        if (readable[i] is null || readable[i]!.IsCompleted)
                        {
                            readable[i] = inputs[i].Reader.WaitToReadAsync(stop.Token).AsTask();
                        }

                        waits.Add(readable[i]!);
                    }
                }

                if (holdFor is { } hold)
                {
                    waits.Add(Task.Delay(hold, timeProvider, stop.Token));
                    waits.AddRange(changes);
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

    private static Channel<Stamped> Start(Func<CancellationToken, IAsyncEnumerable<KPodLogLine>> source, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Stamped>(new BoundedChannelOptions(BufferPerContainer) { SingleWriter = true });
        _ = Task.Run(async () =>
        {
            long last = long.MinValue;
            try
            {
                await foreach (var line in source(cancellationToken).ConfigureAwait(false))
                {
                    // A line without a timestamp continues the one before it and sorts with it.
                    if (line.UnixNanoseconds is { } nanos)
                    {
                        last = nanos;
                    }

                    await channel.Writer.WriteAsync(new Stamped(line, last, timeProvider.GetTimestamp()), cancellationToken).ConfigureAwait(false);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        return channel;
    }

    private readonly record struct Stamped(KPodLogLine Line, long Nanos, long ArrivedAt);
}
