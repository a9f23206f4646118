using k8s;
using k8s.Models;

namespace PodManager.Engine.XCom;

/// <summary>The operator's add_xcom_sidecar: an <c>xcom</c> emptyDir in the first container at /airflow/xcom and an idle sidecar that shares it.</summary>
public static class XComSidecar
{
    public static V1Pod Add(V1Pod pod, string? image = null, V1ResourceRequirements? resources = null)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        copy.Spec.Volumes ??= [];
        copy.Spec.Volumes.Insert(0, new V1Volume { Name = XComDefaults.VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        var mount = new V1VolumeMount { Name = XComDefaults.VolumeName, MountPath = XComDefaults.MountPath };
        var first = copy.Spec.Containers[0];
        first.VolumeMounts ??= [];
        first.VolumeMounts.Insert(0, mount);
        copy.Spec.Containers.Add(new V1Container
        {
            Name = XComDefaults.SidecarName,
            Image = image ?? XComDefaults.DefaultImage,
            Command = ["sh", "-c", XComDefaults.SidecarCommand],
            VolumeMounts = [new V1VolumeMount { Name = XComDefaults.VolumeName, MountPath = XComDefaults.MountPath }],
            Resources = resources ?? new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1m"), ["memory"] = new("10Mi") },
            },
        });
        return copy;
    }

    public static bool HasSidecar(V1Pod pod) => pod.Spec?.Containers?.Any(c => c.Name == XComDefaults.SidecarName) == true;
}
