using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>RoleBindings: grant a Role of their namespace, or a ClusterRole within their namespace. The roleRef
/// cannot change.</summary>
internal sealed class RoleBindingStrategy(ClusterState cluster) : ResourceStrategy<V1RoleBinding>(cluster, cluster.RoleBindings)
{
    public override ResourceInfo Info { get; } = new("rolebindings", "rolebinding", "RoleBinding", Namespaced: true, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);

    public override Func<string, IReadOnlyList<string>> NameRule => RbacValidation.Name;

    public override TableConverter<V1RoleBinding> Table { get; } = BindingTable.Create<V1RoleBinding>(b => b.RoleRef, b => b.Subjects);

    public override IEnumerable<FieldError> ValidateCreate(V1RoleBinding item)
    {
        RbacValidation.DefaultSubjects(item.Subjects);
        return RbacValidation.Binding(item.RoleRef, item.Subjects, namespaced: true).ToList();
    }

    public override IEnumerable<FieldError> ValidateUpdate(V1RoleBinding updated, V1RoleBinding current)
    {
        RbacValidation.DefaultSubjects(updated.Subjects);
        return RbacValidation.Binding(updated.RoleRef, updated.Subjects, namespaced: true).Concat(RbacValidation.RoleRefUnchanged(updated.RoleRef, current.RoleRef)).ToList();
    }
}

/// <summary>ClusterRoleBindings: grant a ClusterRole everywhere. The roleRef cannot change.</summary>
internal sealed class ClusterRoleBindingStrategy(ClusterState cluster) : ResourceStrategy<V1ClusterRoleBinding>(cluster, cluster.ClusterRoleBindings)
{
    public override ResourceInfo Info { get; } = new("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", Namespaced: false, ResourceInfo.AllVerbs, [], [], [], RbacValidation.Group);

    public override Func<string, IReadOnlyList<string>> NameRule => RbacValidation.Name;

    public override TableConverter<V1ClusterRoleBinding> Table { get; } = BindingTable.Create<V1ClusterRoleBinding>(b => b.RoleRef, b => b.Subjects);

    public override IEnumerable<FieldError> ValidateCreate(V1ClusterRoleBinding item)
    {
        RbacValidation.DefaultSubjects(item.Subjects);
        return RbacValidation.Binding(item.RoleRef, item.Subjects, namespaced: false).ToList();
    }

    public override IEnumerable<FieldError> ValidateUpdate(V1ClusterRoleBinding updated, V1ClusterRoleBinding current)
    {
        RbacValidation.DefaultSubjects(updated.Subjects);
        return RbacValidation.Binding(updated.RoleRef, updated.Subjects, namespaced: false).Concat(RbacValidation.RoleRefUnchanged(updated.RoleRef, current.RoleRef)).ToList();
    }
}

/// <summary>The columns of <c>kubectl get rolebindings</c> and <c>clusterrolebindings</c> (printRoleBinding).</summary>
internal static class BindingTable
{
    public static TableConverter<T> Create<T>(Func<T, V1RoleRef> roleRef, Func<T, IList<Rbacv1Subject>?> subjects)
        where T : IKubernetesObject<V1ObjectMeta> => new(
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
}
