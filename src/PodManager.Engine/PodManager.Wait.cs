using k8s.Models;
using PodManager.Engine.Diagnosis;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Waits until the pod has finished (the seed's await_pod_completion) and returns its final state:
    /// a terminal phase, or — when the pod has other containers, such as sidecars that never end — the
    /// base container's termination, so a sidecar cannot hang the caller (anchor issue #39693).
    /// </summary>
    public Task<V1Pod> AwaitPodCompletionAsync(string ns, string name, TimeSpan? timeout, CancellationToken cancellationToken, string? container = null, IProgress<KPod>? progress = null) =>
        WithTimeoutAsync(
            timeout,
            async token =>
            {
                using var watch = await WatchPodAsync(ns, name, token).ConfigureAwait(false);
                var guard = new LaunchGuard(Options.TimeProvider, Options.ConfigErrorGrace);
                while (true)
                {
                    var pod = watch.Current ?? throw PodNotFound(ns, name, " (it does not exist, or was deleted while we waited for it to complete)");
                    progress?.Report(ToKPod(pod));
                    if (IsComplete(pod, container))
                    {
                        return pod;
                    }

                    // A pod that can never start never completes either (anchor PR #59010): say so instead of hanging.
                    if (guard.Check(pod, out var recheckIn) is { } finding)
                    {
                        throw await LaunchFailedAsync(pod, finding, token).ConfigureAwait(false);
                    }

                    await watch.NextAsync(recheckIn, token).ConfigureAwait(false);
                }
            },
            () => new PodManagerException("PodCompletionTimeout", PodManagerErrorCategory.OperationTimeout,
                $"Pod {ns}/{name} had not completed after {timeout!.Value.TotalSeconds:0} s. Raise -Timeout, or look at its logs and events (Get-KPodLog, Get-KPodEvent)."),
            cancellationToken);

    /// <summary>The completion rule: a terminal phase, or the watched container terminated in a pod that has other containers.</summary>
    public static bool IsComplete(V1Pod pod, string? container = null)
    {
        if (KPodPhase(pod).IsTerminal())
        {
            return true;
        }

        var watched = container ?? ContainerHelpers.BaseContainerName(pod);
        var hasOthers = (pod.Spec?.Containers?.Count ?? 0) > 1 || pod.Spec?.InitContainers?.Any(c => c.RestartPolicy == "Always") == true;
        return watched is not null && (hasOthers || container is not null) && ContainerHelpers.ContainerIsTerminated(pod, watched);
    }

    private static PodPhase KPodPhase(V1Pod pod) => KPodConverter.ParsePhase(pod.Status?.Phase);
}
