using k8s.Models;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>The checks of pkg/apis/rbac/validation, with their messages.</summary>
internal static class RbacValidation
{
    public const string Group = "rbac.authorization.k8s.io";

    /// <summary>RBAC names are path segments (ValidateRBACName): <c>system:discovery</c> is fine, <c>a/b</c> is not.</summary>
    public static IReadOnlyList<string> Name(string value)
    {
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }

        return new[] { "/", "%" }.Where(c => value.Contains(c, StringComparison.Ordinal)).Select(c => $"may not contain '{c}'").ToList();
    }

    public static IEnumerable<FieldError> Rules(IList<V1PolicyRule>? rules, bool namespaced)
    {
        foreach (var (rule, index) in (rules ?? []).Select((r, i) => (r, i)))
        {
            var path = $"rules[{index}]";
            if (rule.Verbs is null or { Count: 0 })
            {
                yield return FieldError.Required($"{path}.verbs", "verbs must contain at least one value");
            }

            if (rule.NonResourceURLs is { Count: > 0 } urls)
            {
                var value = GoStrings(urls);
                if (namespaced)
                {
                    yield return new FieldError($"{path}.nonResourceURLs", "FieldValueInvalid", $"Invalid value: {value}: namespaced rules cannot apply to non-resource URLs");
                }

                if (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 } || rule.ResourceNames is { Count: > 0 })
                {
                    yield return new FieldError($"{path}.nonResourceURLs", "FieldValueInvalid", $"Invalid value: {value}: rules cannot apply to both regular resources and non-resource URLs");
                }

                continue;
            }

            if (rule.ApiGroups is null or { Count: 0 })
            {
                yield return FieldError.Required($"{path}.apiGroups", "resource rules must supply at least one api group");
            }

            if (rule.Resources is null or { Count: 0 })
            {
                yield return FieldError.Required($"{path}.resources", "resource rules must supply at least one resource");
            }
        }
    }

    public static IEnumerable<FieldError> Binding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, bool namespaced)
    {
        var kinds = namespaced ? new[] { "Role", "ClusterRole" } : ["ClusterRole"];
        if (roleRef?.ApiGroup != Group)
        {
            yield return FieldError.NotSupported("roleRef.apiGroup", roleRef?.ApiGroup ?? string.Empty, [Group]);
        }

        if (!kinds.Contains(roleRef?.Kind))
        {
            yield return FieldError.NotSupported("roleRef.kind", roleRef?.Kind ?? string.Empty, kinds);
        }

        if (string.IsNullOrEmpty(roleRef?.Name))
        {
            yield return FieldError.Required("roleRef.name");
        }
        else
        {
            foreach (var message in Name(roleRef.Name))
            {
                yield return FieldError.Invalid("roleRef.name", roleRef.Name, message);
            }
        }

        foreach (var (subject, index) in (subjects ?? []).Select((s, i) => (s, i)))
        {
            var path = $"subjects[{index}]";
            if (string.IsNullOrEmpty(subject.Name))
            {
                yield return FieldError.Required($"{path}.name");
            }

            switch (subject.Kind)
            {
                case "ServiceAccount":
                    if (!string.IsNullOrEmpty(subject.ApiGroup))
                    {
                        yield return FieldError.NotSupported($"{path}.apiGroup", subject.ApiGroup, [string.Empty]);
                    }

                    if (!namespaced && string.IsNullOrEmpty(subject.NamespaceProperty))
                    {
                        yield return FieldError.Required($"{path}.namespace");
                    }

                    break;
                case "User" or "Group":
                    if (subject.ApiGroup != Group)
                    {
                        yield return FieldError.NotSupported($"{path}.apiGroup", subject.ApiGroup ?? string.Empty, [Group]);
                    }

                    break;
                default:
                    yield return FieldError.NotSupported($"{path}.kind", subject.Kind ?? string.Empty, ["ServiceAccount", "User", "Group"]);
                    break;
            }
        }
    }

    /// <summary>The roleRef of a binding cannot change (ValidateRoleBindingUpdate).</summary>
    public static IEnumerable<FieldError> RoleRefUnchanged(V1RoleRef? updated, V1RoleRef? current)
    {
        if (updated?.ApiGroup != current?.ApiGroup || updated?.Kind != current?.Kind || updated?.Name != current?.Name)
        {
            yield return new FieldError(
                "roleRef",
                "FieldValueInvalid",
                $"Invalid value: rbac.RoleRef{{APIGroup:\"{updated?.ApiGroup}\", Kind:\"{updated?.Kind}\", Name:\"{updated?.Name}\"}}: cannot change roleRef");
        }
    }

    /// <summary>Subjects default their apiGroup by kind (SetDefaults_Subject), so YAML may leave it out.</summary>
    public static void DefaultSubjects(IList<Rbacv1Subject>? subjects)
    {
        foreach (var subject in subjects ?? [])
        {
            if (string.IsNullOrEmpty(subject.ApiGroup) && subject.Kind is "User" or "Group")
            {
                subject.ApiGroup = Group;
            }
        }
    }

    /// <summary>Go's <c>%#v</c> of a []string, as field errors print a slice.</summary>
    private static string GoStrings(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "}";
}
