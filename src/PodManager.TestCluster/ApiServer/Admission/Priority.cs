using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Admission;

/// <summary>
/// The Priority admission plugin (plugin/pkg/admission/priority): resolves a new pod's <c>priorityClassName</c> to
/// <c>spec.priority</c> and <c>spec.preemptionPolicy</c>. PriorityClass objects are not served, so the only classes are
/// the built-in <c>system-cluster-critical</c> and <c>system-node-critical</c>; any other name is refused with the
/// plugin's 403, and without a name the priority is 0 (there is no global default class). A priority in the spec
/// that differs from the resolved one is refused too.
/// </summary>
internal static class Priority
{
    private static readonly Dictionary<string, int> SystemClasses = new(StringComparer.Ordinal)
    {
        ["system-cluster-critical"] = 2_000_000_000,
        ["system-node-critical"] = 2_000_001_000,
    };

    public static void Admit(V1Pod pod, string name)
    {
        var spec = pod.Spec;
        var priority = 0;
        if (!string.IsNullOrEmpty(spec?.PriorityClassName))
        {
            if (!SystemClasses.TryGetValue(spec.PriorityClassName, out priority))
            {
                throw ApiErrors.ForbiddenByAdmission("pods", name, $"no PriorityClass with name {spec.PriorityClassName} was found");
            }

            if (spec.PreemptionPolicy is { } policy && policy != "PreemptLowerPriority")
            {
                throw ApiErrors.ForbiddenByAdmission("pods", name, $"the string value of PreemptionPolicy ({policy}) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name");
            }
        }

        if (spec is null)
        {
            return;
        }

        if (spec.Priority is { } given && given != priority)
        {
            throw ApiErrors.ForbiddenByAdmission("pods", name, $"the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        }

        spec.Priority = priority;
    }
}
