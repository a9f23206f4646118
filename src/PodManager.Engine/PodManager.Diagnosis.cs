using k8s.Models;
using PodManager.Engine.Diagnosis;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>Explains a pod that ended Failed (or whose base container failed): reason, exit code, events and last log lines.</summary>
    public Task<KPodDiagnosis> DiagnoseFailureAsync(V1Pod pod, CancellationToken cancellationToken, string? container = null) =>
        new PodDiagnoser(this).DiagnoseAsync(pod, PodDiagnoser.ForFinishedPod(pod, container), cancellationToken);

    /// <summary>The PodFailed error for a finished pod, worded as the operator's "Pod x returned a failure."</summary>
    public async Task<PodManagerException> PodFailedAsync(V1Pod pod, CancellationToken cancellationToken, string? container = null)
    {
        var diagnosis = await DiagnoseFailureAsync(pod, cancellationToken, container).ConfigureAwait(false);
        return new PodManagerException(ErrorIds.PodFailed,
            $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} returned a failure.\n{diagnosis}")
        {
            Pod = ToKPod(pod),
            Diagnosis = diagnosis,
        };
    }
}
