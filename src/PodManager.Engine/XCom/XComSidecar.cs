using k8s;
using k8s.Models;
using PodManager.Engine.Pods;

namespace PodManager.Engine.XCom;

/// <summary>
/// The operator's add_xcom_sidecar: an <c>xcom</c> emptyDir mounted at /airflow/xcom in the base container and an idle
/// sidecar that shares it. Airflow mounts it in the first container, which is the base container unless a template put
/// another one first; the base container (named <c>base</c>, else the first) is the one that writes the result.
/// </summary>
public static class XComSidecar
{
    /// <summary>A copy of the pod with the sidecar; a pod that has it already (a manifest from New-KPodManifest -XCom) is copied as it is.</summary>
    public static V1Pod Add(V1Pod pod, string image, V1ResourceRequirements resources)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        if (HasSidecar(copy))
        {
            return copy;
        }

        copy.Spec.Volumes ??= [];
        copy.Spec.Volumes.Insert(0, new V1Volume { Name = XComDefaults.VolumeName, EmptyDir = new V1EmptyDirVolumeSource() });
        var mount = new V1VolumeMount { Name = XComDefaults.VolumeName, MountPath = XComDefaults.MountPath };
        var baseName = ContainerHelpers.BaseContainerName(copy);
        var first = copy.Spec.Containers.First(c => c.Name == baseName);
        first.VolumeMounts ??= [];
        first.VolumeMounts.Insert(0, mount);
        copy.Spec.Containers.Add(new V1Container
        {
            Name = XComDefaults.SidecarName,
            Image = image,
            Command = ["sh", "-c", XComDefaults.SidecarCommand],
            VolumeMounts = [new V1VolumeMount { Name = XComDefaults.VolumeName, MountPath = XComDefaults.MountPath }],
            Resources = resources,
            SecurityContext = RestrictedSecurityContext(),
        });
        return copy;
    }

    /// <summary>
    /// What the restricted Pod Security Standard asks of a container, so the sidecar never is the reason a namespace
    /// that enforces it refuses the pod: not root (the image's <c>nobody</c>), no privilege escalation, no
    /// capabilities, the runtime's default seccomp profile. It only idles, reads a file the base container wrote
    /// world-readable in the emptyDir, and signals itself, none of which needs more.
    /// </summary>
    internal static V1SecurityContext RestrictedSecurityContext() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = XComDefaults.SidecarUser,
        RunAsGroup = XComDefaults.SidecarUser,
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The sidecar's resources: the settings' requests and limits when given, else the defaults (both).</summary>
    public static V1ResourceRequirements Resources(XComSidecarSettings? settings) =>
        settings?.HasResources == true
            ? new V1ResourceRequirements { Requests = Quantities(settings.Requests, "requests"), Limits = Quantities(settings.Limits, "limits") }
            : new V1ResourceRequirements { Requests = Quantities(XComDefaults.DefaultRequests, "requests"), Limits = Quantities(XComDefaults.DefaultLimits, "limits") };

    private static Dictionary<string, ResourceQuantity>? Quantities(IReadOnlyDictionary<string, string>? values, string part) =>
        values?.ToDictionary(v => v.Key, v => PodFactory.ParseQuantity(v.Value, v.Key, $"-XComSidecarResources {part}.{v.Key}"));

    public static bool HasSidecar(V1Pod pod) => pod.Spec?.Containers?.Any(c => c.Name == XComDefaults.SidecarName) == true;
}
