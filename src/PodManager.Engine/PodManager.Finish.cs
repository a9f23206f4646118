using k8s.Models;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Applies a finish action to a pod, deciding on a fresh read of it, never on a state read earlier
    /// (apache/airflow#49466: a stale Pending pod kept after a timeout). Returns whether the pod was deleted.
    /// </summary>
    public async Task<bool> ApplyFinishActionAsync(string ns, string name, OnFinishAction action, int? gracePeriodSeconds, bool wait, CancellationToken cancellationToken, TimeSpan? waitTimeout = null)
    {
        if (action == OnFinishAction.KeepPod)
        {
            return false;
        }

        // DeletePod deletes whatever the pod's state, and a pod that is gone is a 404 that DeletePodAsync
        // reports as false: the read would decide nothing, and costs a request per pod (benchmarks: FanOut).
        if (action == OnFinishAction.DeletePod)
        {
            return await DeletePodAsync(ns, name, gracePeriodSeconds, wait, waitTimeout, cancellationToken).ConfigureAwait(false);
        }

        var pod = await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return pod is not null
            && ShouldDelete(pod, action)
            && await DeletePodAsync(ns, name, gracePeriodSeconds, wait, waitTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The operator's process_pod_deletion table.</summary>
    public static bool ShouldDelete(V1Pod pod, OnFinishAction action)
    {
        var phase = KPodConverter.ParsePhase(pod.Status?.Phase);
        return action switch
        {
            OnFinishAction.DeletePod => true,
            OnFinishAction.DeleteSucceededPod => phase == PodPhase.Succeeded
                || (ContainerHelpers.BaseContainerName(pod) is { } baseName && ContainerHelpers.ContainerIsSucceeded(pod, baseName)),
            OnFinishAction.DeleteActivePod => phase is PodPhase.Pending or PodPhase.Running or PodPhase.Unknown,
            _ => false,
        };
    }
}
