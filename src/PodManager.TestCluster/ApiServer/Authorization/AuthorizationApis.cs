using k8s.Models;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Watch;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>The kinds of rbac.authorization.k8s.io/v1 (stored, served with discovery like any kind),
/// authorization.k8s.io/v1 and authentication.k8s.io/v1 (the self-subject reviews), registered in this one place.</summary>
internal static class AuthorizationApis
{
    public static IEnumerable<IResourceApi> Create(ClusterState cluster, WatchStreamer watches, RbacAuthorizer authorizer) =>
    [
        new ResourceApi<V1Role>(new RoleStrategy(cluster), watches),
        new ResourceApi<V1ClusterRole>(new ClusterRoleStrategy(cluster), watches),
        new ResourceApi<V1RoleBinding>(new RoleBindingStrategy(cluster), watches),
        new ResourceApi<V1ClusterRoleBinding>(new ClusterRoleBindingStrategy(cluster), watches),
        new SelfSubjectAccessReviewApi(authorizer),
        new SelfSubjectRulesReviewApi(authorizer),
        new SelfSubjectReviewApi(),
    ];
}
