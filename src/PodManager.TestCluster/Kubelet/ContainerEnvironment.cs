using System.Text;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Resolves a container's environment (envFrom, env with value, fieldRef, resourceFieldRef, configMapKeyRef,
/// secretKeyRef, <c>$(VAR)</c> expansion) and its command line, as the kubelet's makeEnvironmentVariables does. A
/// missing non-optional source is reported with the kubelet's message, which becomes CreateContainerConfigError;
/// keys of an envFrom source that are not valid variable names are skipped with an
/// <c>InvalidEnvironmentVariableNames</c> warning.
/// </summary>
internal sealed class ContainerEnvironment(ClusterState cluster, NodeIdentity node)
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The container's variables in definition order, plus PATH, HOME and HOSTNAME when not set;
    /// <paramref name="warn"/> receives the message of each envFrom source with skipped keys.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Resolve(V1Pod pod, V1Container container, string? podIp, string hostname, Action<string> warn)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!variables.ContainsKey(name))
            {
                order.Add(name);
            }

            variables[name] = value;
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            var invalid = new List<string>();
            foreach (var (key, value) in FromSource(pod, source))
            {
                var name = (source.Prefix ?? string.Empty) + key;
                if (NameRules.EnvVarName(name).Count > 0)
                {
                    invalid.Add(name);
                    continue;
                }

                Set(name, value);
            }

            if (invalid.Count > 0)
            {
                var (kind, sourceName) = source.ConfigMapRef is { } configMap ? ("configMap", configMap.Name) : ("secret", source.SecretRef.Name);
                warn($"Keys [{string.Join(", ", invalid.Order(StringComparer.Ordinal))}] from the EnvFrom {kind} {pod.Metadata.NamespaceProperty}/{sourceName} were skipped since they are considered invalid environment variable names.");
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is null
                ? VariableExpansion.Expand(variable.Value ?? string.Empty, variables)
                : FromReference(pod, container, variable.ValueFrom, podIp);
            if (value is not null)
            {
                Set(variable.Name, value);
            }
        }

        var result = order.Select(name => KeyValuePair.Create(name, variables[name])).ToList();
        AddDefault(result, "PATH", DefaultPath);
        AddDefault(result, "HOSTNAME", hostname);
        AddDefault(result, "HOME", "/root");
        return result;
    }

    /// <summary>command + args with variables expanded. An image's default command is modelled as a process that
    /// runs until stopped (<c>sleep infinity</c>); args alone become the command line, as for images without an
    /// entrypoint.</summary>
    public static IReadOnlyList<string> CommandLine(V1Container container, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var variables = environment.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var line = (container.Command ?? []).Concat(container.Args ?? []).Select(part => VariableExpansion.Expand(part, variables)).ToList();
        return line.Count > 0 ? line : ["sleep", "infinity"];
    }

    private IEnumerable<KeyValuePair<string, string>> FromSource(V1Pod pod, V1EnvFromSource source)
    {
        var ns = pod.Metadata.NamespaceProperty;
        if (source.ConfigMapRef is { } configMapRef)
        {
            var configMap = cluster.ConfigMaps.Get(new ObjectKey(ns, configMapRef.Name))?.Value;
            if (configMap is null)
            {
                return configMapRef.Optional == true ? [] : throw new ContainerConfigException($"configmap \"{configMapRef.Name}\" not found");
            }

            return configMap.Data ?? new Dictionary<string, string>();
        }

        if (source.SecretRef is { } secretRef)
        {
            var secret = cluster.Secrets.Get(new ObjectKey(ns, secretRef.Name))?.Value;
            if (secret is null)
            {
                return secretRef.Optional == true ? [] : throw new ContainerConfigException($"secret \"{secretRef.Name}\" not found");
            }

            return (secret.Data ?? new Dictionary<string, byte[]>()).Select(p => KeyValuePair.Create(p.Key, Encoding.UTF8.GetString(p.Value)));
        }

        return [];
    }

    private string? FromReference(V1Pod pod, V1Container container, V1EnvVarSource source, string? podIp)
    {
        var ns = pod.Metadata.NamespaceProperty;
        if (source.FieldRef is { } fieldRef)
        {
            return DownwardApi.FieldValue(pod, fieldRef.FieldPath, node.HostIp, podIp) ?? throw new ContainerConfigException($"unsupported fieldPath: {fieldRef.FieldPath}");
        }

        if (source.ResourceFieldRef is { } resourceRef)
        {
            return DownwardApi.ResourceValue(container, resourceRef, node);
        }

        if (source.ConfigMapKeyRef is { } configMapKey)
        {
            var configMap = cluster.ConfigMaps.Get(new ObjectKey(ns, configMapKey.Name))?.Value;
            if (configMap is null)
            {
                return configMapKey.Optional == true ? null : throw new ContainerConfigException($"configmap \"{configMapKey.Name}\" not found");
            }

            if (configMap.Data?.TryGetValue(configMapKey.Key, out var value) == true)
            {
                return value;
            }

            return configMapKey.Optional == true ? null : throw new ContainerConfigException($"couldn't find key {configMapKey.Key} in ConfigMap {ns}/{configMapKey.Name}");
        }

        if (source.SecretKeyRef is { } secretKey)
        {
            var secret = cluster.Secrets.Get(new ObjectKey(ns, secretKey.Name))?.Value;
            if (secret is null)
            {
                return secretKey.Optional == true ? null : throw new ContainerConfigException($"secret \"{secretKey.Name}\" not found");
            }

            if (secret.Data?.TryGetValue(secretKey.Key, out var bytes) == true)
            {
                return Encoding.UTF8.GetString(bytes);
            }

            return secretKey.Optional == true ? null : throw new ContainerConfigException($"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
        }

        return null;
    }

    private static void AddDefault(List<KeyValuePair<string, string>> variables, string name, string value)
    {
        if (!variables.Any(p => p.Key == name))
        {
            variables.Add(KeyValuePair.Create(name, value));
        }
    }
}

/// <summary>A container's configuration cannot be resolved (CreateContainerConfigError).</summary>
internal sealed class ContainerConfigException(string message) : Exception(message);
