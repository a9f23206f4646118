using System.Globalization;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Selectors;

namespace PodManager.TestCluster.Scheduler;

/// <summary>
/// The NodeAffinity plugin: the pod's <c>nodeSelector</c> and its required node affinity must both match the node.
/// Required terms are ORed, the requirements of a term ANDed, and a term without requirements matches nothing
/// (component-helpers' MatchNodeSelectorTerms). Labels are matched with In, NotIn, Exists, DoesNotExist, Gt and Lt
/// (integers), fields with <c>metadata.name</c> In or NotIn.
/// </summary>
internal static class NodeAffinity
{
    public const string Mismatch = "node(s) didn't match Pod's node affinity/selector";

    /// <summary>The reason of a node left out by PreFilter (the node names of matchFields).</summary>
    public const string NotSelected = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

    /// <summary>PreFilter: when every required term names its nodes with <c>metadata.name In</c>, only those nodes are
    /// considered at all.</summary>
    public static bool PreFilterAdmits(V1Pod pod, string nodeName)
    {
        var terms = RequiredTerms(pod);
        if (terms is null)
        {
            return true;
        }

        HashSet<string>? names = null;
        foreach (var term in terms)
        {
            HashSet<string>? termNames = null;
            foreach (var field in (term.MatchFields ?? []).Where(f => f is { Key: "metadata.name", OperatorProperty: "In" }))
            {
                var values = new HashSet<string>(field.Values ?? [], StringComparer.Ordinal);
                if (termNames is null)
                {
                    termNames = values;
                }
                else
                {
                    termNames.IntersectWith(values);
                }
            }

            if (termNames is null)
            {
                return true;
            }

            names ??= new HashSet<string>(StringComparer.Ordinal);
            names.UnionWith(termNames);
        }

        return names is null || names.Contains(nodeName);
    }

    public static bool Matches(V1Pod pod, V1Node node)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (!LabelSelector.FromMatchLabels(pod.Spec.NodeSelector).Matches(labels))
        {
            return false;
        }

        var terms = RequiredTerms(pod);
        return terms is null || terms.Any(term => TermMatches(term, labels, node.Metadata.Name));
    }

    private static IList<V1NodeSelectorTerm>? RequiredTerms(V1Pod pod) =>
        pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required ? required.NodeSelectorTerms ?? [] : null;

    private static bool TermMatches(V1NodeSelectorTerm term, IDictionary<string, string> labels, string nodeName)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        return expressions.All(e => Requirement(e, labels.TryGetValue(e.Key, out var value) ? value : null))
            && fields.All(f => f.Key == "metadata.name" && Requirement(f, nodeName));
    }

    private static bool Requirement(V1NodeSelectorRequirement requirement, string? value)
    {
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            "Gt" => Compare(value, values) is > 0,
            "Lt" => Compare(value, values) is < 0,
            _ => false,
        };
    }

    /// <summary>The label compared with the single value as integers; null when either is not an integer.</summary>
    private static int? Compare(string? value, IList<string> values) =>
        values.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var label)
        && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? label.CompareTo(bound)
            : null;
}
