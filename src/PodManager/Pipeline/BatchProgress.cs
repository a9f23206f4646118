using System.Globalization;
using System.Management.Automation;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// The overall progress bar of a command that runs several pods (Invoke-KPod): how many are done, running, pending
/// and failed, with each pod's own bar under it. It shows from the second pod on, so that one pod keeps one bar. Used
/// on the pipeline thread only.
/// </summary>
internal sealed class BatchProgress(string activity)
{
    private readonly Dictionary<int, PodPhase?> active = [];
    private int done;
    private int failed;
    private bool shown;

    public int ActivityId { get; } = 100_001 + Random.Shared.Next(100_000);

    /// <summary>The parent of the pods' bars: this bar once it shows, else none (-1).</summary>
    public int ParentActivityId => shown ? ActivityId : -1;

    private int Total => active.Count + done + failed;

    /// <summary>A run of input <paramref name="index"/> starts; its pod is pending until the first state it reports.</summary>
    public ProgressRecord? Started(int index)
    {
        active[index] = null;
        shown |= Total > 1;
        return Record();
    }

    /// <summary>The run's pod reported a state.</summary>
    public ProgressRecord? Observed(int index, KPod pod)
    {
        if (!active.ContainsKey(index))
        {
            return null;
        }

        active[index] = pod.Phase;
        return Record();
    }

    /// <summary>The run ended: done when it succeeded, failed otherwise (a failed pod, or no pod at all).</summary>
    public ProgressRecord? Finished(int index, bool succeeded)
    {
        if (!active.Remove(index))
        {
            return null;
        }

        if (succeeded)
        {
            done++;
        }
        else
        {
            failed++;
        }

        return Record();
    }

    public ProgressRecord? Completed() =>
        shown ? new ProgressRecord(ActivityId, activity, Status()) { RecordType = ProgressRecordType.Completed, PercentComplete = 100 } : null;

    private ProgressRecord? Record() =>
        shown ? new ProgressRecord(ActivityId, activity, Status()) { PercentComplete = (done + failed) * 100 / Total } : null;

    private string Status()
    {
        var running = active.Values.Count(phase => phase is PodPhase.Running or PodPhase.Succeeded or PodPhase.Failed or PodPhase.Unknown);
        var pending = active.Count - running;
        return string.Create(CultureInfo.InvariantCulture, $"{done} done, {running} running, {pending} pending, {failed} failed (of {Total} pods so far)");
    }
}
