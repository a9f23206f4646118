using k8s.Models;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>Roles (rbac.authorization.k8s.io/v1): namespaced rules; non-resource URLs are not allowed in them.</summary>
internal sealed class RoleStrategy(ClusterState cluster) : ResourceStrategy<V1Role>(cluster, cluster.Roles)
{
    public override ResourceInfo Info { get; } = new("roles", "role", "Role", Namespaced: true, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);

    public override Func<string, IReadOnlyList<string>> NameRule => RbacValidation.Name;

    public override IEnumerable<FieldError> ValidateCreate(V1Role item) => RbacValidation.Rules(item.Rules, namespaced: true);

    public override IEnumerable<FieldError> ValidateUpdate(V1Role updated, V1Role current) => RbacValidation.Rules(updated.Rules, namespaced: true);
}

/// <summary>ClusterRoles: rules for any namespace and non-resource URLs; one with an aggregationRule has its rules
/// filled by the cluster role aggregation controller.</summary>
internal sealed class ClusterRoleStrategy(ClusterState cluster) : ResourceStrategy<V1ClusterRole>(cluster, cluster.ClusterRoles)
{
    public override ResourceInfo Info { get; } = new("clusterroles", "clusterrole", "ClusterRole", Namespaced: false, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);

    public override Func<string, IReadOnlyList<string>> NameRule => RbacValidation.Name;

    public override IEnumerable<FieldError> ValidateCreate(V1ClusterRole item) => RbacValidation.Rules(item.Rules, namespaced: false);

    public override IEnumerable<FieldError> ValidateUpdate(V1ClusterRole updated, V1ClusterRole current) => RbacValidation.Rules(updated.Rules, namespaced: false);
}
