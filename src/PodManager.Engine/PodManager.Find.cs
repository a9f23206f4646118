using PodManager.Engine.Pods;

namespace PodManager.Engine;

/// <summary>The pods a search found, and the literal names it was given that matched no pod.</summary>
public sealed record PodSearch(IReadOnlyList<KPod> Pods, IReadOnlyList<string> Missing)
{
    /// <summary>The namespace searched; null for all of them.</summary>
    public string? Namespace { get; init; }

    /// <summary>Whether a label or field selector narrowed the search.</summary>
    public bool Selected { get; init; }

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
    /// nothing is. Without names, every pod that matches the selectors.
    /// </summary>
    public async Task<PodSearch> FindPodsAsync(string? ns, IReadOnlyList<string>? names, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken)
    {
        var patterns = names?.Select(PodNamePattern.Parse).ToList();
        var literals = patterns?.Where(p => !p.IsWildcard).Select(p => p.Literal).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var found = new List<KPod>();
        if (patterns is null || patterns.Any(p => p.IsWildcard) || ns is null)
        {
            foreach (var pod in await ListPodsAsync(ns, labelSelector, fieldSelector, cancellationToken).ConfigureAwait(false))
            {
                if (patterns is null || patterns.Any(p => p.IsMatch(pod.Name)))
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
                found.AddRange(await ListPodsAsync(ns, labelSelector, byName, cancellationToken).ConfigureAwait(false));
            }
        }

        var missing = literals.Where(name => !found.Any(p => p.Name == name)).ToList();
        return new PodSearch(found, missing) { Namespace = ns, Selected = labelSelector is not null || fieldSelector is not null };
    }
}
