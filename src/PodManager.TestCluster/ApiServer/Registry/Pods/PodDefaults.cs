using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>The server defaults of a new pod (SetDefaults_Pod and friends) and its initial status.</summary>
internal static class PodDefaults
{
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
        spec.Tolerations ??=
        [
            new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
        ];
        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.EmptyDir is null && volume.ConfigMap is null && volume.Secret is null && volume.HostPath is null && volume.Projected is null && volume.DownwardAPI is null && volume.PersistentVolumeClaim is null)
            {
                volume.EmptyDir = new V1EmptyDirVolumeSource();
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

    /// <summary>BestEffort without requests or limits; Guaranteed when every container limits CPU and memory to its
    /// requests; Burstable otherwise.</summary>
    public static string QosClass(V1PodSpec spec)
    {
        var containers = (spec.InitContainers ?? []).Concat(spec.Containers).ToList();
        var any = containers.Any(c => c.Resources?.Requests is { Count: > 0 } || c.Resources?.Limits is { Count: > 0 });
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c => new[] { "cpu", "memory" }.All(r =>
            c.Resources?.Limits.ValueOrDefault(r) is { } limit
            && (c.Resources.Requests.ValueOrDefault(r) ?? limit).ToDecimal() == limit.ToDecimal()));
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
