using k8s.Models;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>
/// The API server's authorizer chain for this cluster: members of <c>system:masters</c> may do anything (the
/// privileged-group authorizer), everyone else what the stored RBAC objects grant (plugin/pkg/auth/authorizer/rbac):
/// the rules of every ClusterRoleBinding whose subjects include the user or one of its groups, and, for a
/// namespaced request, of the RoleBindings of that namespace. A binding whose role is missing grants nothing and
/// says so in the reason.
/// </summary>
internal sealed class RbacAuthorizer(ClusterState cluster)
{
    public AuthorizationDecision Authorize(UserInfo user, RequestInfo request)
    {
        if (user.IsInGroup(UserInfo.Masters))
        {
            return new AuthorizationDecision(true, string.Empty);
        }

        var errors = new List<string>();
        foreach (var (source, rules) in RuleSources(user, request.IsResourceRequest ? request.Namespace : null, errors))
        {
            if (rules.Any(rule => PolicyRules.Allows(rule, request)))
            {
                return new AuthorizationDecision(true, $"RBAC: allowed by {source}");
            }
        }

        return new AuthorizationDecision(false, errors.Count == 0 ? string.Empty : $"RBAC: {Aggregate(errors)}");
    }

    /// <summary>Every rule that applies to the user in a namespace (or cluster-wide), for SelfSubjectRulesReview.</summary>
    public (IReadOnlyList<V1PolicyRule> Rules, string? Error) RulesFor(UserInfo user, string? namespaceName)
    {
        var errors = new List<string>();
        var rules = RuleSources(user, namespaceName, errors).SelectMany(source => source.Rules).ToList();
        return (rules, errors.Count == 0 ? null : Aggregate(errors));
    }

    private IEnumerable<(string Source, IList<V1PolicyRule> Rules)> RuleSources(UserInfo user, string? namespaceName, List<string> errors)
    {
        foreach (var binding in cluster.ClusterRoleBindings.List(null).Items.Select(b => b.Value))
        {
            if (AppliesTo(user, binding.Subjects, string.Empty) is not { } subject)
            {
                continue;
            }

            if (RulesOf(binding.RoleRef, string.Empty, errors) is { } rules)
            {
                yield return ($"ClusterRoleBinding \"{binding.Metadata.Name}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, string.Empty)}", rules);
            }
        }

        if (string.IsNullOrEmpty(namespaceName))
        {
            yield break;
        }

        foreach (var binding in cluster.RoleBindings.List(namespaceName).Items.Select(b => b.Value))
        {
            if (AppliesTo(user, binding.Subjects, namespaceName) is not { } subject)
            {
                continue;
            }

            if (RulesOf(binding.RoleRef, namespaceName, errors) is { } rules)
            {
                yield return ($"RoleBinding \"{binding.Metadata.Name}/{namespaceName}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {Describe(subject, namespaceName)}", rules);
            }
        }
    }

    private IList<V1PolicyRule>? RulesOf(V1RoleRef roleRef, string bindingNamespace, List<string> errors)
    {
        switch (roleRef.Kind)
        {
            case "ClusterRole" when cluster.ClusterRoles.Get(new ObjectKey(string.Empty, roleRef.Name)) is { } clusterRole:
                return clusterRole.Value.Rules ?? [];
            case "ClusterRole":
                errors.Add($"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found");
                return null;
            case "Role" when cluster.Roles.Get(new ObjectKey(bindingNamespace, roleRef.Name)) is { } role:
                return role.Value.Rules ?? [];
            case "Role":
                errors.Add($"role.rbac.authorization.k8s.io \"{roleRef.Name}\" not found");
                return null;
            default:
                errors.Add($"unsupported role reference kind: \"{roleRef.Kind}\"");
                return null;
        }
    }

    private static Rbacv1Subject? AppliesTo(UserInfo user, IList<Rbacv1Subject>? subjects, string bindingNamespace) =>
        (subjects ?? []).FirstOrDefault(subject => subject.Kind switch
        {
            "User" => subject.Name == user.Name,
            "Group" => user.IsInGroup(subject.Name),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{(string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty)}:{subject.Name}",
            _ => false,
        });

    private static string Describe(Rbacv1Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"ServiceAccount \"{subject.Name}/{(string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty)}\""
        : $"{subject.Kind} \"{subject.Name}\"";

    /// <summary>Go's errors aggregate: one message alone, several de-duplicated in brackets.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }
}
