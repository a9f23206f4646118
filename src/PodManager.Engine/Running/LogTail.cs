namespace PodManager.Engine.Running;

/// <summary>
/// The last lines of a log that a run follows (Invoke-KPod -ShowLogs), kept as they pass, so that the run's result
/// (<see cref="KPodResult.LastLogLines"/>) costs no second read of a log it has just read whole. Only a follow that
/// reached the container's end without a break holds the true last lines; otherwise the run reads them instead.
/// </summary>
internal sealed class LogTail(int capacity)
{
    private readonly Queue<string> lines = new();
    private readonly object gate = new();

    private volatile bool ended;
    private volatile bool broken;

    /// <summary>Whether the follow read the container's log to its end, every line once, so that these are its last lines.</summary>
    public bool Complete => ended && !broken;

    /// <summary>The wait that followed the log has returned: the container has ended.</summary>
    public void FollowEnded() => ended = true;

    /// <summary>The follow could not read the log to its end (the wait warned so).</summary>
    public void FollowBroke() => broken = true;

    public void Add(KPodLogLine line)
    {
        lock (gate)
        {
            lines.Enqueue(line.Message);
            if (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return lines.ToList();
            }
        }
    }
}
