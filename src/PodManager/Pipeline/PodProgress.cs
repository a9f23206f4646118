using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// Write-Progress for one pod wait: phase, elapsed time and container states; completed when the wait ends. A pod of a
/// batch (Invoke-KPod) shows under the batch's overall bar once there is one.
/// </summary>
internal sealed class PodProgress(string activity, string podText, BatchProgress? batch = null)
{
    private readonly Stopwatch elapsed = Stopwatch.StartNew();

    public int ActivityId { get; } = Math.Abs(StringComparer.Ordinal.GetHashCode(podText) % 100_000) + 1;

    public ProgressRecord Update(KPod pod)
    {
        var containers = string.Join(", ", pod.InitContainers.Concat(pod.Containers).Select(c => c.Reason is null ? $"{c.Name}: {c.State}" : $"{c.Name}: {c.Reason}"));
        var status = string.Create(CultureInfo.InvariantCulture, $"{pod.Status} ({pod.Phase}), {elapsed.Elapsed:hh\\:mm\\:ss} elapsed{(containers.Length == 0 ? "" : " - " + containers)}");
        return new ProgressRecord(ActivityId, $"{activity} {podText}", status) { ParentActivityId = batch?.ParentActivityId ?? -1 };
    }

    public ProgressRecord Completed() =>
        new(ActivityId, $"{activity} {podText}", "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = batch?.ParentActivityId ?? -1 };
}
