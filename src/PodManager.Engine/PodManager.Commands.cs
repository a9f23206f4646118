using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

/// <summary>A pod a create-or-reattach produced, and whether it came from an earlier run.</summary>
public sealed record CreatedPod(KPod Pod, bool Reattached);

/// <summary>A finished pod, and the PodFailed error to report after it when it did not succeed.</summary>
public sealed record PodCompletion(KPod Pod, PodManagerException? Failure);

/// <summary>
/// The engine as the cmdlets use it: the same operations as the seed-named members, with model types in
/// and out only, because the cmdlets load outside the engine's load context and never see KubernetesClient.
/// </summary>
public sealed partial class PodManager
{
    public async Task<CreatedPod> CreateOrReattachAsync(PodDescription spec, string? runKey, bool xcom, CancellationToken cancellationToken, XComSidecarSettings? sidecar = null)
    {
        var pod = (xcom ? spec.WithXComSidecar(sidecar, Options.XComSidecarImage) : spec).Pod;
        var run = await GetOrCreateOwnedPodAsync(pod, runKey, OnFinishAction.DeletePod, cancellationToken).ConfigureAwait(false);
        return new CreatedPod(ToKPod(run.Pod), run.Reattached);
    }

    public async Task<KPod> GetPodAsync(string ns, string name, CancellationToken cancellationToken) =>
        ToKPod(await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false));

    public async Task<KPod> WaitForStartAsync(string ns, string name, TimeSpan? scheduleTimeout, TimeSpan? startupTimeout, IProgress<KPod>? progress, CancellationToken cancellationToken) =>
        ToKPod(await AwaitPodStartAsync(ns, name, scheduleTimeout, startupTimeout, cancellationToken, progress).ConfigureAwait(false));

    public async Task<PodCompletion> WaitForCompletionAsync(string ns, string name, CompletionWait wait, CancellationToken cancellationToken)
    {
        var done = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
        var failure = IsSucceeded(done, wait.Container) ? null : await PodFailedAsync(done, cancellationToken, wait.Container).ConfigureAwait(false);
        return new PodCompletion(ToKPod(done), failure);
    }
}
