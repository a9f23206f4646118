using System.Globalization;
using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// -Affinity: the fields of a Kubernetes Affinity (nodeAffinity, podAffinity, podAntiAffinity), with the node
/// selector requirements checked as the API server checks them (ValidateNodeSelectorRequirement).
/// </summary>
internal static class Affinities
{
    private const string What = "-Affinity";

    private const string Fields = "nodeAffinity, podAffinity, podAntiAffinity; e.g. @{ nodeAffinity = @{ requiredDuringSchedulingIgnoredDuringExecution = @{ nodeSelectorTerms = @(@{ matchExpressions = @(@{ key = 'pool'; operator = 'In'; values = 'batch' }) }) } } }";

    public static V1Affinity? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var affinity = ParameterObjects.Read<V1Affinity>(json, What, "an affinity", Fields);
        var node = affinity.NodeAffinity;
        if (node?.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
        {
            if (required.NodeSelectorTerms is not { Count: > 0 })
            {
                throw Invalid($"{What}: requiredDuringSchedulingIgnoredDuringExecution needs at least one of nodeSelectorTerms (a node must match one of them).");
            }

            CheckTerms(required.NodeSelectorTerms, "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
        }

        foreach (var (preferred, index) in (node?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select((p, i) => (p, i)))
        {
            if (preferred.Preference is null)
            {
                throw Invalid($"{What}: preferredDuringSchedulingIgnoredDuringExecution[{index}] needs a preference (a node selector term) and a weight from 1 to 100.");
            }

            if (preferred.Weight is < 1 or > 100)
            {
                throw Invalid($"{What}: preferredDuringSchedulingIgnoredDuringExecution[{index}].weight must be from 1 to 100, not {preferred.Weight}.");
            }

            CheckTerms([preferred.Preference], $"preferredDuringSchedulingIgnoredDuringExecution[{index}].preference");
        }

        return affinity;
    }

    private static void CheckTerms(IList<V1NodeSelectorTerm> terms, string path)
    {
        for (var t = 0; t < terms.Count; t++)
        {
            var expressions = terms[t].MatchExpressions ?? [];
            for (var e = 0; e < expressions.Count; e++)
            {
                CheckRequirement(expressions[e], $"{path}[{t}].matchExpressions[{e}]");
            }
        }
    }

    private static void CheckRequirement(V1NodeSelectorRequirement requirement, string path)
    {
        var count = requirement.Values?.Count ?? 0;
        var problem = requirement.OperatorProperty switch
        {
            "In" or "NotIn" when count == 0 => "operator In and NotIn need at least one value",
            "Exists" or "DoesNotExist" when count > 0 => "operator Exists and DoesNotExist take no values",
            "Gt" or "Lt" when count != 1 || !long.TryParse(requirement.Values![0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "operator Gt and Lt need one whole number as their value",
            "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt" => null,
            var other => $"'{other}' is not an operator; use In, NotIn, Exists, DoesNotExist, Gt or Lt",
        };
        if (string.IsNullOrEmpty(requirement.Key) || !KubernetesNames.IsQualifiedName(requirement.Key))
        {
            problem = $"the key '{requirement.Key}' is not a label key, which is {KubernetesNames.QualifiedNameRule}";
        }

        if (problem is not null)
        {
            throw Invalid($"{What}: {path}: {problem}.");
        }
    }

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
