using System.Net;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    public async Task<CreatedPod<KPod>> CreateOrReattachAsync(PodDescription pod, string? runKey, bool xcom, CancellationToken cancellationToken, XComSidecarSettings? sidecar = null)
    {
        var described = (xcom ? pod.WithXComSidecar(sidecar, Options.XComSidecarImage) : pod).Pod;
        var run = await GetOrCreateOwnedPodAsync(described, runKey, OnFinishAction.DeletePod, cancellationToken).ConfigureAwait(false);
        return new CreatedPod<KPod>(ToKPod(run.Pod), run.Reattached);
    }

    /// <summary>
    /// The operator's get_or_create_pod. Without a run key: create. With one: a live pod of that key is
    /// reattached (its wait and logs continue); more than one live pod is an error; a finished one goes
    /// through <paramref name="finishAction"/> and is replaced only if that deleted it, as the KubernetesPodOperator does.
    /// Pods whose outcome was already reported and that were kept (<see cref="RunKey.AlreadyCheckedLabel"/>) are
    /// left alone, as the operator's find_pod skips <c>already_checked</c> ones; when such a pod holds the name, the
    /// new pod gets the name plus a random suffix.
    /// </summary>
    public async Task<CreatedPod<V1Pod>> GetOrCreatePodAsync(V1Pod pod, string? runKey, OnFinishAction finishAction, CancellationToken cancellationToken)
    {
        if (runKey is null)
        {
            return new CreatedPod<V1Pod>(await CreatePodAsync(pod, cancellationToken).ConfigureAwait(false), false);
        }

        var ns = ResolveNamespace(pod.Metadata?.NamespaceProperty);
        var label = RunKey.LabelValue(runKey);
        var all = await FindRunPodsAsync(ns, label, cancellationToken).ConfigureAwait(false);
        var found = all.Where(p => !RunKey.IsAlreadyChecked(p)).ToList();
        var live = found.Where(p => KPodConverter.ParsePhase(p.Status?.Phase) is PodPhase.Pending or PodPhase.Running or PodPhase.Unknown).ToList();
        if (live.Count > 1)
        {
            throw new PodManagerException(ErrorIds.MultipleRunPods,
                $"More than one pod is running with run key '{runKey}' in namespace '{ns}': {string.Join(", ", live.Select(p => p.Metadata.Name))}. Remove the extra ones (Get-KPod -Selector '{RunKey.Label}={label}' | Remove-KPod), then run again.");
        }

        if (live.Count == 1)
        {
            ApiCallListener.Note($"Reattached to pod {ns}/{live[0].Metadata.Name} of run key '{runKey}' instead of creating another.");
            return new CreatedPod<V1Pod>(await AdoptAsync(live[0], cancellationToken).ConfigureAwait(false), true);
        }

        var finished = found.OrderByDescending(p => p.Metadata.CreationTimestamp).FirstOrDefault();
        if (finished is not null
            && !await ApplyFinishActionAsync(ns, finished.Metadata.Name, finishAction, gracePeriodSeconds: null, wait: true, cancellationToken).ConfigureAwait(false))
        {
            ApiCallListener.Note($"Reattached to the finished pod {ns}/{finished.Metadata.Name} of run key '{runKey}', whose outcome was never output ({finishAction} kept it), instead of running the task again.");
            return new CreatedPod<V1Pod>(finished, true);
        }

        pod.Metadata ??= new V1ObjectMeta();
        if (all.Any(p => RunKey.IsAlreadyChecked(p) && p.Metadata.Name == pod.Metadata.Name))
        {
            pod.Metadata.Name = PodFactory.FromGenerateName(pod.Metadata.Name + "-");
        }

        RunKey.Stamp(pod, runKey);
        return new CreatedPod<V1Pod>(await CreatePodAsync(pod, cancellationToken).ConfigureAwait(false), false);
    }

    /// <summary>
    /// Writes this process as the runner of a live pod it reattached to, so that a cleanup of orphaned pods
    /// (Remove-KPod -Orphaned) no longer takes the earlier, dead runner's pod for abandoned. Best effort: a pod that
    /// cannot be patched is still followed, and stays marked with the runner that made it.
    /// </summary>
    private async Task<V1Pod> AdoptAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var stamp = new V1Pod { Metadata = new V1ObjectMeta() };
        Orphans.RunnerIdentity.Stamp(stamp);
        try
        {
            return await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(stamp, V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ApiCallListener.Note($"Could not write this process as the runner of pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: {Translate(e, "patching it").Message}");
            return pod;
        }
    }

    /// <summary>
    /// Marks a finished pod of a run key whose outcome has been reported and that was kept, so a rerun with the key
    /// starts anew (the operator's patch_already_checked). Best effort, as there: a failed mark is a warning.
    /// </summary>
    internal async Task<string?> TryMarkAlreadyCheckedAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [RunKey.AlreadyCheckedLabel] = "true" };
        var patch = new V1Patch(new V1Pod { Metadata = new V1ObjectMeta { Labels = labels } }, V1Patch.PatchType.MergePatch);
        try
        {
            await client.CoreV1.PatchNamespacedPodAsync(patch, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (ApiErrors.IsStatus(e, HttpStatusCode.NotFound))
        {
            return null;
        }
        catch (Exception e)
        {
            var why = e is OperationCanceledException ? "the request did not complete in time" : Translate(e, $"labelling pod {ns}/{name}").Message;
            return $"Could not label pod {ns}/{name} {RunKey.AlreadyCheckedLabel}=true, so a rerun with its run key will report it again instead of starting a new pod: {why}";
        }
    }

    /// <summary>
    /// <see cref="GetOrCreatePodAsync"/>, but a create that is stopped or fails while in flight leaves no pod: the
    /// server may have made it all the same, and the caller never heard of it. Only a pod with our token is ours to
    /// delete; with KeepPod it stays.
    /// </summary>
    private async Task<CreatedPod<V1Pod>> GetOrCreateOwnedPodAsync(V1Pod pod, string? runKey, OnFinishAction finishAction, CancellationToken cancellationToken)
    {
        var token = ClaimCreation(pod);
        try
        {
            return await GetOrCreatePodAsync(pod, runKey, finishAction, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or PodManagerException && finishAction != OnFinishAction.KeepPod)
        {
            await DeleteIfOursAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, token).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Names the pod and marks it with a creation token now, so a create cut short can still be found and cleaned up.</summary>
    private string ClaimCreation(V1Pod pod)
    {
        pod.Metadata ??= new V1ObjectMeta();
        pod.Metadata.NamespaceProperty = ResolveNamespace(pod.Metadata.NamespaceProperty);
        if (string.IsNullOrEmpty(pod.Metadata.Name) && !string.IsNullOrEmpty(pod.Metadata.GenerateName))
        {
            pod.Metadata.Name = PodFactory.FromGenerateName(pod.Metadata.GenerateName);
            pod.Metadata.GenerateName = null;
        }

        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        var token = Guid.NewGuid().ToString("N");
        pod.Metadata.Annotations[PodDefaults.CreationTokenAnnotation] = token;
        return token;
    }

    private async Task DeleteIfOursAsync(string ns, string name, string token)
    {
        using var cleanup = new CancellationTokenSource(CleanupLimit, Options.TimeProvider);
        try
        {
            var created = await TryReadPodAsync(ns, name, cleanup.Token).ConfigureAwait(false);
            if (created?.Metadata.Annotations?.TryGetValue(PodDefaults.CreationTokenAnnotation, out var found) == true && found == token)
            {
                await DeletePodAsync(ns, name, gracePeriodSeconds: null, wait: false, timeout: null, cleanup.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is PodManagerException or OperationCanceledException)
        {
            // Best effort: the caller is already being stopped, and its own error is the one to report.
        }
    }

    private async Task<IReadOnlyList<V1Pod>> FindRunPodsAsync(string ns, string label, CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{RunKey.Label}={label}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return list.Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        }
        catch (Exception e)
        {
            throw Translate(e, $"looking for the pods of run key '{label}' in namespace '{ns}'", ErrorIds.NamespaceNotFound);
        }
    }
}
