using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Controllers;

/// <summary>
/// The cluster role aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole with an
/// <c>aggregationRule</c> gets the rules of every other ClusterRole its selectors match, in name order without
/// repeats, whenever a ClusterRole changes. So <c>admin</c>, <c>edit</c> and <c>view</c> hold the rules of the
/// <c>system:aggregate-to-*</c> roles, and a role labelled <c>rbac.authorization.k8s.io/aggregate-to-view</c> joins them.
/// </summary>
internal sealed class ClusterRoleAggregationController(ClusterState cluster) : Controller
{
    public override void Start()
    {
        var roles = cluster.ClusterRoles.Watch(null, null, int.MaxValue);
        Reconcile();
        Run(cancellationToken => RunAsync(roles, cancellationToken));
    }

    private async Task RunAsync(WatchSubscription<V1ClusterRole> roles, CancellationToken cancellationToken)
    {
        using (roles)
        {
            while (await roles.Events.WaitToReadAsync(cancellationToken))
            {
                while (roles.Events.TryRead(out _))
                {
                }

                Reconcile();
            }
        }
    }

    /// <summary>Aggregates until nothing changes, so a role aggregated into another (view into edit) is complete first.</summary>
    public void Reconcile()
    {
        for (var pass = 0; pass < 10; pass++)
        {
            var all = cluster.ClusterRoles.List(null).Items.Select(r => r.Value).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
            var changed = false;
            foreach (var aggregated in all.Where(r => r.AggregationRule?.ClusterRoleSelectors is { Count: > 0 }))
            {
                var selectors = aggregated.AggregationRule.ClusterRoleSelectors.Select(LabelSelector.FromObject).ToList();
                var rules = new List<V1PolicyRule>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var source in all.Where(r => r.Metadata.Name != aggregated.Metadata.Name && selectors.Any(s => s.Matches(r.Metadata.Labels))))
                {
                    rules.AddRange((source.Rules ?? []).Where(rule => seen.Add(KubernetesJson.Serialize(rule))));
                }

                if (KubernetesJson.Serialize(rules) != KubernetesJson.Serialize(aggregated.Rules ?? []))
                {
                    changed |= cluster.ClusterRoles.Mutate(new ObjectKey(string.Empty, aggregated.Metadata.Name), role =>
                    {
                        role.Rules = rules;
                        return true;
                    }) is not null;
                }
            }

            if (!changed)
            {
                return;
            }
        }
    }
}
