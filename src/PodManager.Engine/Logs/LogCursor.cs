namespace PodManager.Engine.Logs;

/// <summary>
/// Where a follower is in a container's log, so a resumed read delivers each line exactly once.
/// Kubelet timestamps never go backwards, so "the last timestamp, and how many lines carried it"
/// identifies the position in O(1) memory, even when a resume re-reads that whole second.
/// </summary>
internal sealed class LogCursor
{
    public long? LastTimestamp { get; private set; }

    public int LinesAtLastTimestamp { get; private set; }

    private int seenAtLastTimestamp;

    /// <summary>
    /// Whether the current read has come back to where the last one stopped. A resumed read that ends before
    /// that was cut inside the part already delivered, so it proves nothing about the end of the log.
    /// </summary>
    public bool ReachedPosition { get; private set; }

    /// <summary>Call when a new read of the log starts from <see cref="LastTimestamp"/>.</summary>
    public void BeginRead()
    {
        seenAtLastTimestamp = 0;
        ReachedPosition = LastTimestamp is null;
    }

    /// <summary>Whether a line of a resumed read was already delivered; otherwise records it as delivered.</summary>
    public bool IsDuplicate(long timestamp)
    {
        if (LastTimestamp is { } last)
        {
            if (timestamp < last)
            {
                return true;
            }

            if (timestamp == last && ++seenAtLastTimestamp <= LinesAtLastTimestamp)
            {
                ReachedPosition = seenAtLastTimestamp == LinesAtLastTimestamp;
                return true;
            }
        }

        ReachedPosition = true;

        if (timestamp == LastTimestamp)
        {
            LinesAtLastTimestamp++;
        }
        else
        {
            LastTimestamp = timestamp;
            LinesAtLastTimestamp = 1;
            seenAtLastTimestamp = 1;
        }

        return false;
    }
}
