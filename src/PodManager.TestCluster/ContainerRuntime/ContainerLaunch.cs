using PodManager.TestCluster.Kubelet;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>The uid and gid a container runs as (runAsUser, runAsGroup).</summary>
internal sealed record ContainerUser(long Uid, long Gid)
{
    /// <summary>From the container's securityContext, else the pod's; null runs as root. A runAsNonRoot
    /// container without a non-root runAsUser cannot start (CreateContainerConfigError, as the kubelet
    /// cannot inspect an image's user here).</summary>
    public static ContainerUser? For(k8s.Models.V1Pod pod, k8s.Models.V1Container container)
    {
        var uid = container.SecurityContext?.RunAsUser ?? pod.Spec.SecurityContext?.RunAsUser;
        var gid = container.SecurityContext?.RunAsGroup ?? pod.Spec.SecurityContext?.RunAsGroup;
        var nonRoot = container.SecurityContext?.RunAsNonRoot ?? pod.Spec.SecurityContext?.RunAsNonRoot;
        var where = $"(pod: \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\", container: {container.Name})";
        if (nonRoot == true && uid is null)
        {
            throw new ContainerConfigException($"container has runAsNonRoot and image will run as root {where}");
        }

        if (nonRoot == true && uid == 0)
        {
            throw new ContainerConfigException($"container's runAsUser breaks non-root policy {where}");
        }

        return uid is null && gid is null ? null : new ContainerUser(uid ?? 0, gid ?? 0);
    }

    public override string ToString() => FormattableString.Invariant($"{Uid}:{Gid}");
}

/// <summary>Everything needed to start one run of a container.</summary>
internal sealed record ContainerLaunch(
    string RunDirectory,
    string Hostname,
    ContainerUser? User,
    IReadOnlyList<string> CommandLine,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string WorkingDirectory,
    IReadOnlyList<ContainerMount> Mounts);
