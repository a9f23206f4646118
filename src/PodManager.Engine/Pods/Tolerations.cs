using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// -Toleration values: kubectl's taint syntax (<c>key[=value][:Effect]</c>: with a value the toleration is Equal,
/// without one Exists), or the fields of a toleration. Checked by the API server's rules (ValidateTolerations).
/// </summary>
internal static class Tolerations
{
    private const string Fields = "key, operator (Equal or Exists), value, effect (NoSchedule, PreferNoSchedule or NoExecute), tolerationSeconds";

    private static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static IEnumerable<V1Toleration> Read(IReadOnlyList<string>? values)
    {
        var number = 0;
        foreach (var value in values ?? [])
        {
            number++;
            var what = values!.Count == 1 ? "-Toleration" : $"-Toleration entry {number}";
            var toleration = value.TrimStart().StartsWith('{') ? ParameterObjects.Read<V1Toleration>(value, what, "a toleration", Fields) : FromTaintSyntax(value, what);
            Check(toleration, what);
            yield return toleration;
        }
    }

    private static V1Toleration FromTaintSyntax(string text, string what)
    {
        var colon = text.LastIndexOf(':');
        var (pair, effect) = colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        var (key, value) = equals < 0 ? (pair, null) : (pair[..equals], pair[(equals + 1)..]);
        if (!KubernetesNames.IsQualifiedName(key))
        {
            throw Invalid($"{what} '{text}' is not a toleration: '{key}' is not a taint key, which is {KubernetesNames.QualifiedNameRule}. "
                + "Give 'key=value:Effect' as kubectl taint takes it (e.g. 'dedicated=gpu:NoSchedule'), 'key:Effect' to tolerate any value, or a hashtable of the fields of a toleration.");
        }

        return new V1Toleration
        {
            Key = key,
            OperatorProperty = value is null ? "Exists" : "Equal",
            Value = value,
            Effect = string.IsNullOrEmpty(effect) ? null : effect,
        };
    }

    private static void Check(V1Toleration toleration, string what)
    {
        if (toleration.OperatorProperty is { Length: > 0 } op && op is not ("Equal" or "Exists"))
        {
            throw Invalid($"{what}: operator '{op}' is not a toleration operator; it is Equal (the default, the taint's value must match) or Exists (any value).");
        }

        if (toleration.Effect is { Length: > 0 } effect && !Effects.Contains(effect, StringComparer.Ordinal))
        {
            throw Invalid($"{what}: effect '{effect}' is not a taint effect; it is NoSchedule, PreferNoSchedule or NoExecute (or none, for every effect).");
        }

        if (toleration.OperatorProperty == "Exists" && !string.IsNullOrEmpty(toleration.Value))
        {
            throw Invalid($"{what}: operator Exists takes no value (it tolerates every value of the key); leave the value out, or use Equal.");
        }

        if (string.IsNullOrEmpty(toleration.Key) && toleration.OperatorProperty != "Exists")
        {
            throw Invalid($"{what} has no key; a toleration without a key must use operator Exists (it then tolerates every taint).");
        }

        if (!string.IsNullOrEmpty(toleration.Key) && !KubernetesNames.IsQualifiedName(toleration.Key))
        {
            throw Invalid($"{what}: '{toleration.Key}' is not a taint key, which is {KubernetesNames.QualifiedNameRule}.");
        }

        if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
        {
            throw Invalid($"{what}: tolerationSeconds only applies to effect NoExecute (how long the pod stays on a node that gets the taint).");
        }
    }

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
