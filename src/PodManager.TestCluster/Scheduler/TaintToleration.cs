using k8s.Models;

namespace PodManager.TestCluster.Scheduler;

/// <summary>The TaintToleration filter: a node's NoSchedule and NoExecute taints must each be tolerated by the pod
/// (PreferNoSchedule only affects scoring, which one node does not need). Matching is ToleratesTaint of
/// k8s.io/api/core/v1: an empty effect or key matches any, <c>Exists</c> any value, <c>Equal</c> (or none) the same value.</summary>
internal static class TaintToleration
{
    /// <summary>The first taint that keeps the pod off the node, or null.</summary>
    public static V1Taint? FindUntolerated(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations) =>
        (taints ?? []).FirstOrDefault(taint => taint.Effect is "NoSchedule" or "NoExecute" && !(tolerations ?? []).Any(t => Tolerates(t, taint)));

    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            null or "" or "Equal" => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            "Exists" => true,
            _ => false,
        };
    }

    /// <summary>The scheduler's reason, e.g. <c>node(s) had untolerated taint {dedicated: gpu}</c>.</summary>
    public static string Reason(V1Taint taint) => $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
}
