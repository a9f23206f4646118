using k8s;
using k8s.Models;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

/// <summary>The pods a search found, and the literal names it was given that matched no pod.</summary>
public sealed record PodSearch(IReadOnlyList<KPod> Pods, IReadOnlyList<string> Missing)
{
    /// <summary>The namespace searched; null for all of them.</summary>
    public string? Namespace { get; init; }

    /// <summary>Whether a label or field selector narrowed the search.</summary>
    public bool Selected { get; init; }

    /// <summary>With <c>withManifests</c>: each pod of <see cref="Pods"/>, in the same order, as the API server returned it (JSON, with kind and apiVersion).</summary>
    public IReadOnlyList<string> Manifests { get; init; } = [];

    /// <summary>The PodNotFound error for a name of <see cref="Missing"/>, saying where the search looked.</summary>
    public PodManagerException NotFound(string name) =>
        new(ErrorIds.PodNotFound,
            $"Pod '{name}' was not found {(Namespace is null ? "in any namespace" : $"in namespace '{Namespace}'")}{(Selected ? " with the selectors given" : "")}. Check the name and -Namespace, or use a wildcard (Get-KPod '{name}*').");
}

public sealed partial class PodManager
{
    /// <summary>
    /// Finds pods by name, label selector and field selector, in one namespace or in all (<paramref name="ns"/> null):
    /// the one finder behind every cmdlet that takes pod names. A name may be a wildcard pattern
    /// (<see cref="PodNamePattern"/>); a pattern that matches nothing is no miss, a literal name that matches
    /// nothing is. Without names, every pod that matches the selectors. With <paramref name="withManifests"/>, the search
    /// also holds each pod whole, as JSON (Get-KPod -Raw), from the same read.
    /// </summary>
    public async Task<PodSearch> FindPodsAsync(string? ns, IReadOnlyList<string>? names, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken, bool withManifests = false)
    {
        var patterns = names?.Select(PodNamePattern.Parse).ToList();
        var literals = patterns?.Where(p => !p.IsWildcard).Select(p => p.Literal).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var found = new List<V1Pod>();
        if (patterns is null || patterns.Any(p => p.IsWildcard) || ns is null)
        {
            foreach (var pod in await ListV1PodsAsync(ns, labelSelector, fieldSelector, cancellationToken).ConfigureAwait(false))
            {
                if (patterns is null || patterns.Any(p => p.IsMatch(pod.Metadata.Name)))
                {
                    found.Add(pod);
                }
            }
        }
        else
        {
            // Only literal names in one namespace: ask for each by name, rather than listing the namespace.
            foreach (var name in literals)
            {
                var byName = fieldSelector is null ? $"metadata.name={name}" : $"{fieldSelector},metadata.name={name}";
                found.AddRange(await ListV1PodsAsync(ns, labelSelector, byName, cancellationToken).ConfigureAwait(false));
            }
        }

        var missing = literals.Where(name => !found.Any(p => p.Metadata.Name == name)).ToList();
        return new PodSearch(found.Select(ToKPod).ToList(), missing)
        {
            Namespace = ns,
            Selected = labelSelector is not null || fieldSelector is not null,
            Manifests = withManifests ? found.Select(Manifest).ToList() : [],
        };
    }

    /// <summary>The pod as kubectl get pod -o json prints it: the items of a list come without kind and apiVersion, so they are put back.</summary>
    private static string Manifest(V1Pod pod)
    {
        pod.Kind ??= V1Pod.KubeKind;
        pod.ApiVersion ??= V1Pod.KubeApiVersion;
        return KubernetesJson.Serialize(pod);
    }
}
