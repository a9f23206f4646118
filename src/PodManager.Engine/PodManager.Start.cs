using k8s.Models;
using PodManager.Engine.Diagnosis;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    public async Task<KPod> WaitForStartAsync(string ns, string name, TimeSpan? scheduleTimeout, TimeSpan? startupTimeout, IProgress<KPod>? progress, CancellationToken cancellationToken) =>
        ToKPod(await AwaitPodStartAsync(ns, name, scheduleTimeout, startupTimeout, cancellationToken, progress).ConfigureAwait(false));

    /// <summary>
    /// Waits until the pod leaves Pending (Airflow's await_pod_start), on the shared watch. Fails fast with
    /// PodLaunchFailed when the pod can never start, and with PodLaunchTimeout when it is not scheduled within
    /// <paramref name="scheduleTimeout"/> or, once scheduled, not started within <paramref name="startupTimeout"/>.
    /// Both carry a <see cref="KPodDiagnosis"/>.
    /// </summary>
    public async Task<V1Pod> AwaitPodStartAsync(string ns, string name, TimeSpan? scheduleTimeout, TimeSpan? startupTimeout, CancellationToken cancellationToken, IProgress<KPod>? progress = null, V1Pod? known = null)
    {
        var time = Options.TimeProvider;
        var scheduleLimit = scheduleTimeout ?? Options.ScheduleTimeout;
        var startupLimit = startupTimeout ?? Options.StartupTimeout;
        using var watch = await WatchPodAsync(ns, name, cancellationToken, known).ConfigureAwait(false);
        var phaseStarted = time.GetTimestamp();
        var scheduled = false;
        var guard = new LaunchGuard(time, Options.ConfigErrorGrace, ct => ReadPodEventsAsync(ns, name, ct));
        while (true)
        {
            var pod = watch.Current ?? throw PodNotFound(ns, name, " (it does not exist, or was deleted while we waited for it to start)");
            progress?.Report(ToKPod(pod));
            var (finding, recheckIn) = await guard.CheckAsync(pod, cancellationToken).ConfigureAwait(false);
            if (finding is not null)
            {
                throw await LaunchFailedAsync(pod, finding, cancellationToken).ConfigureAwait(false);
            }

            if (KPodConverter.ParsePhase(pod.Status?.Phase) is not (PodPhase.Pending or PodPhase.Unknown))
            {
                return pod;
            }

            if (!scheduled && IsScheduled(pod))
            {
                scheduled = true;
                phaseStarted = time.GetTimestamp();
            }

            var limit = scheduled ? startupLimit : scheduleLimit;
            var left = limit - time.GetElapsedTime(phaseStarted);
            if (left <= TimeSpan.Zero)
            {
                throw UnreachableAtTimeLimit(limit, ToKPod(pod)) ?? await LaunchTimeoutAsync(pod, scheduled, limit, cancellationToken).ConfigureAwait(false);
            }

            await watch.NextAsync(recheckIn is { } grace && grace < left ? grace : left, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsScheduled(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "True") == true || !string.IsNullOrEmpty(pod.Spec?.NodeName);

    internal async Task<PodManagerException> LaunchFailedAsync(V1Pod pod, FailureFinding finding, CancellationToken cancellationToken)
    {
        var diagnosis = await new PodDiagnoser(this).DiagnoseAsync(pod, finding, cancellationToken).ConfigureAwait(false);
        return new PodManagerException(ErrorIds.PodLaunchFailed,
            $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} cannot start.\n{diagnosis}")
        {
            Pod = ToKPod(pod),
            Diagnosis = diagnosis,
        };
    }

    private async Task<PodManagerException> LaunchTimeoutAsync(V1Pod pod, bool scheduled, TimeSpan limit, CancellationToken cancellationToken)
    {
        var seconds = (int)limit.TotalSeconds;
        FailureFinding finding;
        string headline;
        if (scheduled)
        {
            var waiting = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? [])
                .FirstOrDefault(s => s.State?.Waiting is not null);
            finding = new FailureFinding(waiting?.State?.Waiting?.Reason ?? "StartupTimeout", waiting?.State?.Waiting?.Message, waiting?.Name);
            headline = $"Pod took too long to start. More than {seconds}s. Check the pod events in kubernetes.";
        }
        else
        {
            var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
            finding = new FailureFinding(condition?.Reason ?? "Unschedulable", condition?.Message ?? "The pod was not scheduled.");
            headline = $"Pod took too long to be scheduled on the cluster, giving up. More than {seconds}s. Check the pod events in kubernetes.";
        }

        var diagnosis = await new PodDiagnoser(this).DiagnoseAsync(pod, finding, cancellationToken).ConfigureAwait(false);
        return new PodManagerException(ErrorIds.PodLaunchTimeout, $"{headline}\n{diagnosis}")
        {
            Pod = ToKPod(pod),
            Diagnosis = diagnosis,
        };
    }
}
