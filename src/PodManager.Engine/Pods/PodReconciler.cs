using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// Merges the pod that New-KPod's parameters describe over a template pod (-Template), as Airflow's
/// <c>PodGenerator.reconcile_pods</c> merges a task's pod over the <c>pod_template_file</c>. The rules, one per kind of
/// field (docs/engine.md, "Templates"):
/// <list type="bullet">
/// <item>the template's base container (named <c>base</c>, else the first) receives the container settings;</item>
/// <item>lists of named things merge item by item on Kubernetes' merge key: containers and init containers by name
/// (their fields merge), env, volumes and image pull secrets by name, volume mounts by mount path, ports by container
/// port (an item given replaces the template's item of the same key, others are added after the template's);</item>
/// <item>tolerations and envFrom are added to the template's (an identical entry once), as Airflow extends env_from;</item>
/// <item>maps and objects merge key by key (labels, annotations, node selector, resources, security context,
/// affinity); any other list (command, args, node selector terms) and every scalar is replaced.</item>
/// </list>
/// Airflow appends lists instead of merging them by key, which turns a repeated env name or volume into an invalid
/// pod; and it replaces tolerations, which would drop the template's node pool toleration from a task that adds one.
/// </summary>
internal static class PodReconciler
{
    /// <summary>Lists whose items are matched by a key; the items of containers are merged, the others replaced.</summary>
    private static readonly Dictionary<string, (string Key, bool MergeItems)> KeyedLists = new(StringComparer.Ordinal)
    {
        ["containers"] = ("name", true),
        ["initContainers"] = ("name", true),
        ["env"] = ("name", false),
        ["volumes"] = ("name", false),
        ["imagePullSecrets"] = ("name", false),
        ["volumeMounts"] = ("mountPath", false),
        ["ports"] = ("containerPort", false),
    };

    /// <summary>Lists whose items are added to the template's.</summary>
    private static readonly HashSet<string> AddedLists = new(StringComparer.Ordinal) { "tolerations", "envFrom" };

    /// <summary>The template with the overrides merged in; <paramref name="overrides"/> names its one container <c>base</c>.</summary>
    public static V1Pod Reconcile(V1Pod template, V1Pod overrides)
    {
        var baseName = ContainerHelpers.BaseContainerName(template);
        if (baseName is not null && overrides.Spec?.Containers is { Count: > 0 } containers)
        {
            containers[0].Name = baseName;
        }

        if (!string.IsNullOrEmpty(overrides.Metadata?.Name) && template.Metadata is { } metadata)
        {
            metadata.GenerateName = null;
        }

        var merged = Merge(ToNode(template), ToNode(overrides), property: null);
        return KubernetesJson.Deserialize<V1Pod>(merged!.ToJsonString());
    }

    private static JsonNode? ToNode(V1Pod pod) => JsonNode.Parse(KubernetesJson.Serialize(pod));

    private static JsonNode? Merge(JsonNode? template, JsonNode? overrides, string? property)
    {
        switch (template, overrides)
        {
            case (_, null):
                return template?.DeepClone();
            case (JsonObject fromTemplate, JsonObject given):
                var result = (JsonObject)fromTemplate.DeepClone();
                foreach (var (key, value) in given)
                {
                    result[key] = Merge(fromTemplate[key], value, key);
                }

                return result;
            case (JsonArray fromTemplate, JsonArray given) when property is not null && KeyedLists.TryGetValue(property, out var rule):
                var items = fromTemplate.Select(i => i?.DeepClone()).ToList();
                foreach (var item in given)
                {
                    var key = item?[rule.Key]?.ToJsonString();
                    var index = key is null ? -1 : items.FindIndex(i => i?[rule.Key]?.ToJsonString() == key);
                    if (index < 0)
                    {
                        items.Add(item?.DeepClone());
                    }
                    else
                    {
                        items[index] = rule.MergeItems ? Merge(items[index], item, null) : item?.DeepClone();
                    }
                }

                return new JsonArray([.. items]);
            case (JsonArray fromTemplate, JsonArray given) when property is not null && AddedLists.Contains(property):
                var added = fromTemplate.Select(i => i?.DeepClone()).ToList();
                added.AddRange(given.Where(i => !fromTemplate.Any(t => JsonNode.DeepEquals(t, i))).Select(i => i?.DeepClone()));
                return new JsonArray([.. added]);
            default:
                return overrides.DeepClone();
        }
    }
}
