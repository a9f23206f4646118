using k8s.Models;
using PodManager.TestCluster.Kubelet;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>The checks of the pod's scheduling constraints in pkg/apis/core/validation: ValidateTolerations and
/// the required node affinity (ValidateNodeSelector, ValidateNodeSelectorRequirement,
/// ValidateNodeFieldSelectorRequirement).</summary>
internal static class SchedulingValidator
{
    private static readonly string[] TolerationOperators = ["Equal", "Exists"];

    public static IEnumerable<FieldError> Validate(V1PodSpec spec) =>
        Tolerations(spec.Tolerations).Concat(NodeAffinity(spec.Affinity?.NodeAffinity));

    private static IEnumerable<FieldError> Tolerations(IList<V1Toleration>? tolerations)
    {
        foreach (var (toleration, i) in (tolerations ?? []).Select((t, i) => (t, i)))
        {
            var at = $"spec.tolerations[{i}]";
            if (!string.IsNullOrEmpty(toleration.Key))
            {
                foreach (var message in NameRules.QualifiedName(toleration.Key))
                {
                    yield return FieldError.Invalid($"{at}.key", toleration.Key, message);
                }
            }

            var op = toleration.OperatorProperty ?? string.Empty;
            if (string.IsNullOrEmpty(toleration.Key) && op != "Exists")
            {
                yield return FieldError.Invalid($"{at}.operator", op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                yield return FieldError.Invalid($"{at}.effect", toleration.Effect ?? string.Empty, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }

            switch (op)
            {
                case "" or "Equal":
                    var valueErrors = NameRules.LabelValue(toleration.Value ?? string.Empty);
                    if (valueErrors.Count > 0)
                    {
                        yield return FieldError.Invalid($"{at}.operator", toleration.Value ?? string.Empty, string.Join(";", valueErrors));
                    }

                    break;
                case "Exists":
                    if (!string.IsNullOrEmpty(toleration.Value))
                    {
                        yield return FieldError.InvalidValue($"{at}.operator", GoToleration(toleration), "value must be empty when `operator` is 'Exists'");
                    }

                    break;
                default:
                    yield return FieldError.NotSupported($"{at}.operator", op, TolerationOperators);
                    break;
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && !NodeRegistration.TaintEffects.Contains(toleration.Effect))
            {
                yield return FieldError.NotSupported($"{at}.effect", toleration.Effect, NodeRegistration.TaintEffects);
            }
        }
    }

    private static IEnumerable<FieldError> NodeAffinity(V1NodeAffinity? affinity)
    {
        if (affinity?.RequiredDuringSchedulingIgnoredDuringExecution is not { } required)
        {
            yield break;
        }

        const string at = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
        if (required.NodeSelectorTerms is null or { Count: 0 })
        {
            yield return FieldError.Required($"{at}.nodeSelectorTerms", "must have at least one node selector term");
        }

        foreach (var (term, i) in (required.NodeSelectorTerms ?? []).Select((t, i) => (t, i)))
        {
            foreach (var (requirement, j) in (term.MatchExpressions ?? []).Select((r, j) => (r, j)))
            {
                foreach (var error in Requirement(requirement, $"{at}.nodeSelectorTerms[{i}].matchExpressions[{j}]"))
                {
                    yield return error;
                }
            }

            foreach (var (requirement, j) in (term.MatchFields ?? []).Select((r, j) => (r, j)))
            {
                foreach (var error in FieldRequirement(requirement, $"{at}.nodeSelectorTerms[{i}].matchFields[{j}]"))
                {
                    yield return error;
                }
            }
        }
    }

    private static IEnumerable<FieldError> Requirement(V1NodeSelectorRequirement requirement, string at)
    {
        var count = requirement.Values?.Count ?? 0;
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn" when count == 0:
                yield return FieldError.Required($"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'");
                break;
            case "Exists" or "DoesNotExist" when count > 0:
                yield return FieldError.Forbidden($"{at}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                break;
            case "Gt" or "Lt" when count != 1:
                yield return FieldError.Required($"{at}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'");
                break;
            case "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt":
                break;
            default:
                yield return FieldError.Invalid($"{at}.operator", requirement.OperatorProperty ?? string.Empty, "not a valid selector operator");
                break;
        }

        foreach (var message in NameRules.QualifiedName(requirement.Key ?? string.Empty))
        {
            yield return FieldError.Invalid($"{at}.key", requirement.Key ?? string.Empty, message);
        }
    }

    private static IEnumerable<FieldError> FieldRequirement(V1NodeSelectorRequirement requirement, string at)
    {
        if (requirement.OperatorProperty is "In" or "NotIn")
        {
            if (requirement.Values?.Count != 1)
            {
                yield return FieldError.Required($"{at}.values", "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
            }
        }
        else
        {
            yield return FieldError.Invalid($"{at}.operator", requirement.OperatorProperty ?? string.Empty, "not a valid selector operator");
        }

        if (requirement.Key != "metadata.name")
        {
            yield return FieldError.Invalid($"{at}.key", requirement.Key ?? string.Empty, "not a valid field selector key");
        }
    }

    /// <summary>The toleration as Go's <c>%#v</c> prints core.Toleration.</summary>
    private static string GoToleration(V1Toleration t) =>
        $"core.Toleration{{Key:\"{t.Key}\", Operator:\"{t.OperatorProperty}\", Value:\"{t.Value}\", Effect:\"{t.Effect}\", TolerationSeconds:(*int64)(nil)}}";
}
