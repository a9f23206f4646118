using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>The server defaults of a new pod (SetDefaults_Pod and friends) and its initial status.</summary>
internal static class PodDefaults
{
    /// <summary>0644, the default <c>defaultMode</c> of configMap, secret, downwardAPI and projected volumes.</summary>
    private const int DefaultFileMode = 420;

    public static void Apply(V1Pod pod)
    {
        var spec = pod.Spec;
        spec.RestartPolicy ??= "Always";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.DnsPolicy ??= "ClusterFirst";
        spec.SchedulerName ??= "default-scheduler";
        spec.ServiceAccountName ??= spec.ServiceAccount ?? "default";
        spec.ServiceAccount ??= spec.ServiceAccountName;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        spec.Priority ??= 0;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
        AddDefaultTolerations(spec);
        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.EmptyDir is null && volume.ConfigMap is null && volume.Secret is null && volume.HostPath is null && volume.Projected is null && volume.DownwardAPI is null && volume.PersistentVolumeClaim is null)
            {
                volume.EmptyDir = new V1EmptyDirVolumeSource();
            }

            // SetDefaults_ConfigMapVolumeSource and its siblings: files are 0644 unless the pod says otherwise.
            if (volume.ConfigMap is { } configMap)
            {
                configMap.DefaultMode ??= DefaultFileMode;
            }

            if (volume.Secret is { } secret)
            {
                secret.DefaultMode ??= DefaultFileMode;
            }

            if (volume.DownwardAPI is { } downward)
            {
                downward.DefaultMode ??= DefaultFileMode;
            }

            if (volume.Projected is { } projected)
            {
                projected.DefaultMode ??= DefaultFileMode;
            }
        }

        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers))
        {
            container.ImagePullPolicy ??= ImageReference.Parse(container.Image ?? string.Empty)?.DefaultPullPolicy ?? "IfNotPresent";
            container.TerminationMessagePath ??= "/dev/termination-log";
            container.TerminationMessagePolicy ??= "File";
            container.Resources ??= new V1ResourceRequirements();
            if (container.Resources.Limits is { Count: > 0 } limits)
            {
                container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
                foreach (var (name, quantity) in limits)
                {
                    container.Resources.Requests.TryAdd(name, quantity);
                }
            }
        }

        pod.Status = new V1PodStatus { Phase = "Pending", QosClass = QosClass(spec) };
    }

    /// <summary>The DefaultTolerationSeconds admission plugin: a pod that does not already tolerate the not-ready and
    /// unreachable taints (NoExecute) tolerates them for 300 s, next to its own tolerations.</summary>
    private static void AddDefaultTolerations(V1PodSpec spec)
    {
        var tolerations = spec.Tolerations?.ToList() ?? [];
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (!tolerations.Any(t => (string.IsNullOrEmpty(t.Key) || t.Key == key) && (string.IsNullOrEmpty(t.Effect) || t.Effect == "NoExecute")))
            {
                tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 });
            }
        }

        spec.Tolerations = tolerations;
    }

    /// <summary>GetPodQOS, over cpu and memory only: BestEffort without requests or limits of them; Guaranteed when
    /// every container limits both and the pod's requests equal its limits; Burstable otherwise.</summary>
    public static string QosClass(V1PodSpec spec)
    {
        string[] computeResources = ["cpu", "memory"];
        var requests = new Dictionary<string, decimal>();
        var limits = new Dictionary<string, decimal>();
        var guaranteed = true;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers))
        {
            foreach (var (name, quantity) in container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>())
            {
                if (computeResources.Contains(name) && quantity.ToDecimal() > 0)
                {
                    requests[name] = requests.GetValueOrDefault(name) + quantity.ToDecimal();
                }
            }

            var limited = new HashSet<string>();
            foreach (var (name, quantity) in container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>())
            {
                if (computeResources.Contains(name) && quantity.ToDecimal() > 0)
                {
                    limited.Add(name);
                    limits[name] = limits.GetValueOrDefault(name) + quantity.ToDecimal();
                }
            }

            guaranteed &= limited.Count == computeResources.Length;
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value) && requests.Count == limits.Count;
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
