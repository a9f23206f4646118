using k8s;
using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>
/// Stores the RBAC objects of bootstrap-policy.yaml when the cluster starts, as kube-apiserver reconciles its
/// bootstrap roles: cluster-admin, admin, edit, view, the system:* roles of discovery and self-reviews, their
/// bindings, and the roles and bindings of the kubeconfig's users.
/// </summary>
internal static class BootstrapPolicy
{
    public static void Seed(ClusterState cluster)
    {
        var now = Timestamps.Seconds(cluster.Time);
        using var stream = typeof(BootstrapPolicy).Assembly.GetManifestResourceStream("PodManager.TestCluster.bootstrap-policy.yaml")
            ?? throw new InvalidOperationException("the bootstrap RBAC policy is not embedded");
        using var reader = new StreamReader(stream);
        foreach (var item in KubernetesYaml.LoadAllFromString(reader.ReadToEnd()))
        {
            var meta = ((IMetadata<V1ObjectMeta>)item).Metadata;
            meta.Uid = Guid.NewGuid().ToString();
            meta.CreationTimestamp = now;
            _ = item switch
            {
                V1ClusterRole role => cluster.ClusterRoles.TryCreate(role) as object,
                V1ClusterRoleBinding binding => cluster.ClusterRoleBindings.TryCreate(binding),
                V1Role role => cluster.Roles.TryCreate(role),
                V1RoleBinding binding => cluster.RoleBindings.TryCreate(binding),
                _ => throw new InvalidOperationException($"unexpected {item.GetType().Name} in the bootstrap RBAC policy"),
            };
        }
    }
}
