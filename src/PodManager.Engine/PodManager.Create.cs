using System.Net;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    public async Task<KPod> CreatePodAsync(PodBuildOptions options, CancellationToken cancellationToken)
    {
        var pod = PodFactory.Build(options, ResolveNamespace(options.Namespace));
        return ToKPod(await CreatePodAsync(pod, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Creates the pod (Airflow's create_pod). Idempotent: the pod carries a fresh creation token, so when a
    /// create's response was lost and the retry meets 409 AlreadyExists, our own pod is adopted; anyone else's is an error.
    /// </summary>
    public async Task<V1Pod> CreatePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ns = ResolveNamespace(pod.Metadata?.NamespaceProperty);
        pod.Metadata ??= new V1ObjectMeta();
        pod.Metadata.NamespaceProperty = ns;
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        if (string.IsNullOrEmpty(pod.Metadata.Name) && !string.IsNullOrEmpty(pod.Metadata.GenerateName))
        {
            // Name it here, as the server would: a retried create with generateName could make a second pod.
            pod.Metadata.Name = PodFactory.FromGenerateName(pod.Metadata.GenerateName);
            pod.Metadata.GenerateName = null;
        }

        // Whatever the pod was built from, it says who made it, so a pod whose runner died can be found and removed.
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[PodDefaults.ManagedByLabel] = PodDefaults.ManagedByValue;
        Orphans.RunnerIdentity.Stamp(pod);

        if (!pod.Metadata.Annotations.TryGetValue(PodDefaults.CreationTokenAnnotation, out var token))
        {
            token = Guid.NewGuid().ToString("N");
            pod.Metadata.Annotations[PodDefaults.CreationTokenAnnotation] = token;
        }
        var what = $"creating pod {ns}/{pod.Metadata.Name ?? pod.Metadata.GenerateName + "*"}";
        try
        {
            // Strict, as kubectl create: the server refuses a field it does not know instead of dropping it.
            return await client.CoreV1.CreateNamespacedPodAsync(pod, ns, fieldValidation: "Strict", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsStatus(e, HttpStatusCode.Conflict) && pod.Metadata.Name is { } name)
        {
            var existing = await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (existing?.Metadata.Annotations?.TryGetValue(PodDefaults.CreationTokenAnnotation, out var found) == true && found == token)
            {
                return existing;
            }

            throw Translate(e, what);
        }
        catch (Exception e)
        {
            throw CreateFailed(e, pod, ns, what);
        }
    }

    /// <summary>
    /// What the API server makes of the pod without storing it (a create with <c>dryRun=All</c>): admission,
    /// validation and defaults, with the same errors as a real create (New-KPodManifest -Validate).
    /// </summary>
    public async Task<V1Pod> DryRunCreatePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ns = ResolveNamespace(pod.Metadata?.NamespaceProperty);
        try
        {
            return await client.CoreV1.CreateNamespacedPodAsync(pod, ns, dryRun: "All", fieldValidation: "Strict", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw CreateFailed(e, pod, ns, $"validating pod {ns}/{pod.Metadata?.Name} (a dry-run create)");
        }
    }

    private PodManagerException CreateFailed(Exception e, V1Pod pod, string ns, string what) =>
        ApiErrors.IsStatus(e, HttpStatusCode.NotFound)
            ? new PodManagerException(ErrorIds.NamespaceNotFound,
                $"Cannot create pod {pod.Metadata.Name} because namespace '{ns}' does not exist. Pass an existing -Namespace, or create it first (kubectl create namespace {ns}).", e)
            { StatusCode = 404 }
            : Translate(e, what);
}
