using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>
/// The PodSecurity admission plugin (k8s.io/pod-security-admission/admission): a pod created in, or significantly
/// changed in, a namespace labelled <c>pod-security.kubernetes.io/enforce</c> is refused when it violates that
/// level (<c>pods "x" is forbidden: violates PodSecurity "restricted:latest": ...</c>); the <c>warn</c> level adds a
/// <c>would violate PodSecurity</c> warning to a request that is allowed. The <c>audit</c> level is accepted and
/// evaluated, but there is no audit log to annotate. Namespace labels that do not parse are refused on create and
/// on an update that changes them.
/// </summary>
internal static class PodSecurityAdmission
{
    /// <summary>Checks a pod create or update; returns the warnings to send, throws the 403 to refuse it.</summary>
    public static IReadOnlyList<string> AdmitPod(ClusterState cluster, string namespaceName, V1Pod pod, V1Pod? old)
    {
        if (old is not null && !IsSignificantUpdate(pod, old))
        {
            return [];
        }

        var ns = cluster.Namespaces.Get(new ObjectKey(string.Empty, namespaceName))?.Value;
        var policy = PodSecurityPolicy.FromLabels(ns?.Metadata.Labels);
        if (policy.IsPrivileged)
        {
            return [];
        }

        var meta = pod.Metadata ?? new V1ObjectMeta();
        var spec = pod.Spec ?? new V1PodSpec();
        var enforced = PodSecurityChecks.Evaluate(policy.Enforce, meta, spec);
        if (enforced.Count > 0)
        {
            throw ApiErrors.Forbidden("pods", string.Empty, meta.Name, $"violates PodSecurity \"{policy.Enforce}\": {PodSecurityChecks.Describe(enforced)}");
        }

        var warned = PodSecurityChecks.Evaluate(policy.Warn, meta, spec);
        return warned.Count == 0 ? [] : [$"would violate PodSecurity \"{policy.Warn}\": {PodSecurityChecks.Describe(warned)}"];
    }

    /// <summary>Refuses a namespace whose Pod Security labels do not parse (on an update, only when they changed).</summary>
    public static void AdmitNamespace(V1Namespace ns, V1Namespace? old)
    {
        var errors = PodSecurityPolicy.FromLabels(ns.Metadata?.Labels).Errors;
        if (errors.Count == 0)
        {
            return;
        }

        var oldErrors = old is null ? [] : PodSecurityPolicy.FromLabels(old.Metadata?.Labels).Errors;
        if (oldErrors.Count == 0 || !oldErrors.Select(e => e.ToString()).SequenceEqual(errors.Select(e => e.ToString())))
        {
            throw ApiErrors.Invalid("Namespace", ns.Metadata?.Name ?? string.Empty, errors);
        }
    }

    /// <summary>Only an image, a seccomp annotation or the number of containers can change a running pod's
    /// standing (isSignificantPodUpdate); other updates are not evaluated.</summary>
    private static bool IsSignificantUpdate(V1Pod pod, V1Pod old)
    {
        string? Annotation(V1Pod of, string key) => of.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
        bool SeccompChanged(string key) => Annotation(pod, key) != Annotation(old, key);
        bool Changed(IList<V1Container>? current, IList<V1Container>? previous)
        {
            current ??= [];
            previous ??= [];
            return current.Count != previous.Count
                || current.Zip(previous).Any(pair => pair.First.Image != pair.Second.Image || SeccompChanged("container.seccomp.security.alpha.kubernetes.io/" + pair.First.Name));
        }

        return SeccompChanged("seccomp.security.alpha.kubernetes.io/pod")
            || Changed(pod.Spec?.Containers, old.Spec?.Containers)
            || Changed(pod.Spec?.InitContainers, old.Spec?.InitContainers);
    }
}
