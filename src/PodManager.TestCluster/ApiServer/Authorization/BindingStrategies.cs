using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>RoleBindings: grant a Role of their namespace, or a ClusterRole within their namespace.</summary>
internal sealed class RoleBindingStrategy(ClusterState cluster)
    : BindingStrategy<V1RoleBinding>(cluster, cluster.RoleBindings, namespaced: true, b => b.RoleRef, b => b.Subjects)
{
    public override ResourceInfo Info { get; } = new("rolebindings", "rolebinding", "RoleBinding", Namespaced: true, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);
}

/// <summary>ClusterRoleBindings: grant a ClusterRole everywhere.</summary>
internal sealed class ClusterRoleBindingStrategy(ClusterState cluster)
    : BindingStrategy<V1ClusterRoleBinding>(cluster, cluster.ClusterRoleBindings, namespaced: false, b => b.RoleRef, b => b.Subjects)
{
    public override ResourceInfo Info { get; } = new("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", Namespaced: false, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);
}

/// <summary>What both binding kinds share: subjects defaulted and validated, a roleRef that cannot change, and
/// the columns of <c>kubectl get rolebindings</c> and <c>clusterrolebindings</c> (printRoleBinding).</summary>
internal abstract class BindingStrategy<T>(ClusterState cluster, ResourceStore<T> store, bool namespaced, Func<T, V1RoleRef> roleRef, Func<T, IList<Rbacv1Subject>?> subjects)
    : ResourceStrategy<T>(cluster, store)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override Func<string, IReadOnlyList<string>> NameRule => RbacValidation.Name;

    public override TableConverter<T> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Role", "string", string.Empty, "RoleRef is the reference to the role."),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            new TableColumn("Users", "string", string.Empty, "Users in the binding", 1),
            new TableColumn("Groups", "string", string.Empty, "Groups in the binding", 1),
            new TableColumn("ServiceAccounts", "string", string.Empty, "ServiceAccounts in the binding", 1),
        ],
        (item, now) =>
        {
            var all = subjects(item) ?? [];
            string Names(string kind) => string.Join(", ", all.Where(s => s.Kind == kind).Select(s => kind == "ServiceAccount" ? $"{s.NamespaceProperty}/{s.Name}" : s.Name));
            var role = roleRef(item);
            return [item.Metadata.Name, $"{role?.Kind}/{role?.Name}", HumanDuration.Since(item.Metadata.CreationTimestamp, now), Names("User"), Names("Group"), Names("ServiceAccount")];
        });

    public override IEnumerable<FieldError> ValidateCreate(T item)
    {
        RbacValidation.DefaultSubjects(subjects(item));
        return RbacValidation.Binding(roleRef(item), subjects(item), namespaced).ToList();
    }

    public override IEnumerable<FieldError> ValidateUpdate(T updated, T current)
    {
        RbacValidation.DefaultSubjects(subjects(updated));
        return RbacValidation.Binding(roleRef(updated), subjects(updated), namespaced).Concat(RbacValidation.RoleRefUnchanged(roleRef(updated), roleRef(current))).ToList();
    }
}
