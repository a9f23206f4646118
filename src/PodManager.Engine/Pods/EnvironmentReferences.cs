using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// Environment variables whose values the kubelet reads from Secrets and ConfigMaps: one key each (-SecretEnv,
/// -ConfigMapEnv, as <c>secretKeyRef</c> and <c>configMapKeyRef</c>), or every key of an object (-EnvFrom, as
/// <c>envFrom</c>). The value never passes through PodManager: only the reference is sent.
/// </summary>
internal static class EnvironmentReferences
{
    public static IEnumerable<V1EnvVar> FromKeys(IReadOnlyDictionary<string, string>? references, string parameter, bool secret)
    {
        foreach (var (variable, reference) in references ?? new Dictionary<string, string>())
        {
            var example = secret ? "'db-secret/password'" : "'app-config/log-level'";
            var kind = secret ? "Secret" : "ConfigMap";
            CheckVariable(variable, parameter);
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            var (name, key) = slash < 0 ? (reference, "") : (reference[..slash], reference[(slash + 1)..]);
            if (key.Length == 0)
            {
                throw Invalid($"{parameter} {variable} = '{reference}' names no key: a reference is '{kind.ToLowerInvariant()}-name/key', e.g. {parameter} @{{ {variable} = {example} }}. To take every key of the {kind} as variables, use -EnvFrom '{kind.ToLowerInvariant()}/{name}'.");
            }

            if (!KubernetesNames.IsSubdomain(name))
            {
                throw Invalid($"{parameter} {variable} = '{reference}': '{name}' is not a {kind} name, which is {KubernetesNames.SubdomainRule}.");
            }

            if (!KubernetesNames.IsKey(key))
            {
                throw Invalid($"{parameter} {variable} = '{reference}': '{key}' is not a {kind} key, which is {KubernetesNames.KeyRule}.");
            }

            yield return new V1EnvVar
            {
                Name = variable,
                ValueFrom = secret
                    ? new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = name, Key = key } }
                    : new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = name, Key = key } },
            };
        }
    }

    public static IEnumerable<V1EnvFromSource> FromObjects(IReadOnlyList<string>? references)
    {
        foreach (var reference in references ?? [])
        {
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            var kind = slash < 0 ? "" : reference[..slash].Trim().ToLowerInvariant();
            var name = slash < 0 ? reference : reference[(slash + 1)..].Trim();
            if (kind is not ("secret" or "configmap"))
            {
                throw Invalid($"-EnvFrom '{reference}' does not say what it names: give 'secret/NAME' or 'configmap/NAME', e.g. -EnvFrom 'secret/app-secrets', 'configmap/app-config'.");
            }

            if (!KubernetesNames.IsSubdomain(name))
            {
                throw Invalid($"-EnvFrom '{reference}': '{name}' is not a {(kind == "secret" ? "Secret" : "ConfigMap")} name, which is {KubernetesNames.SubdomainRule}.");
            }

            yield return kind == "secret"
                ? new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = name } }
                : new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = name } };
        }
    }

    /// <summary>A name the API server takes for an environment variable (-Env, -SecretEnv, -ConfigMapEnv).</summary>
    public static void CheckVariable(string variable, string parameter)
    {
        if (!KubernetesNames.IsEnvironmentVariable(variable))
        {
            throw Invalid($"{parameter} has the variable name '{variable}', which Kubernetes refuses: a variable name is {KubernetesNames.EnvironmentVariableRule}.");
        }
    }

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
