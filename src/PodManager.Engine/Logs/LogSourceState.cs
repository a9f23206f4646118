namespace PodManager.Engine.Logs;

/// <summary>
/// What a merge needs to know of one container's log besides its lines: whether it may still deliver lines older
/// than the others' because its container runs but its stream is not open yet, and since when it is open. A
/// container that has not started has no lines, and an open stream delivers within milliseconds, so only the time
/// in between holds the merge for long.
/// </summary>
/// <remarks>One writer (the source's reader) and one reader (the merge).</remarks>
internal sealed class LogSourceState(TimeProvider timeProvider)
{
    private int opening = 1;
    private long settledAt = timeProvider.GetTimestamp();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True until the first state is known, then while the container runs and its stream is being opened.</summary>
    public bool IsOpening => Volatile.Read(ref opening) == 1;

    /// <summary>How long ago <see cref="IsOpening"/> last became false: a stream that has just opened has not had time to deliver.</summary>
    public TimeSpan SinceSettled => timeProvider.GetElapsedTime(Volatile.Read(ref settledAt));

    /// <summary>Completes at the next change of <see cref="IsOpening"/>; take it before reading the state so no change is missed.</summary>
    public Task Changed => Volatile.Read(ref changed).Task;

    public void SetOpening(bool value)
    {
        var next = value ? 1 : 0;

        // Only a real change restarts the clock: a container still waiting, reported again, has opened nothing.
        if (!value && IsOpening)
        {
            Volatile.Write(ref settledAt, timeProvider.GetTimestamp());
        }

        if (Interlocked.Exchange(ref opening, next) != next)
        {
            Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }
}
