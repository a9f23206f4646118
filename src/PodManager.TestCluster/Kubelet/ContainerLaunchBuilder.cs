using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Turns a container's spec into what the runtime starts (the kubelet's generateContainerConfig in
/// pkg/kubelet/kuberuntime): environment and command line, volume mounts, a fresh termination-message file and
/// <c>/tmp</c> per run, and the user to run as. A configuration that cannot be resolved leaves the container
/// waiting in <c>CreateContainerConfigError</c>, its event recorded first.
/// </summary>
internal static class ContainerLaunchBuilder
{
    /// <summary>The next run's launch, or null (with the container's state and event saying why) when its configuration cannot be resolved.</summary>
    public static ContainerLaunch? TryBuild(PodWorker pod, ContainerRecord record)
    {
        var kubelet = pod.Kubelet;
        var name = record.Spec.Name;
        var runIndex = record.Runs.Count;
        var runDirectory = Path.Combine(pod.Sandbox.ContainerDirectory(name), "runs", runIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var environment = kubelet.Environment.Resolve(pod.Pod, record.Spec, pod.PodIp, pod.Hostname, message => pod.Event(null, EventRecorder.Warning, "InvalidEnvironmentVariableNames", message));
            var mounts = pod.Sandbox.MountsFor(record.Spec);
            var terminationLog = Path.Combine(runDirectory, ContainerTermination.MessageFile);
            Directory.CreateDirectory(runDirectory);
            File.WriteAllBytes(terminationLog, []);
            UnixFiles.SetMode(terminationLog, UnixFiles.WorldWritable);
            mounts.Add(new ContainerMount(terminationLog, record.Spec.TerminationMessagePath ?? "/dev/termination-log", ReadOnly: false, IsFile: true));
            if (kubelet.Shell is { } shell)
            {
                mounts.Add(shell.Mount);
            }

            if (!mounts.Any(m => ContainerPath.Normalize(m.Target) == "/tmp"))
            {
                // A container's /tmp is its own, fresh with each run, as an image layer's would be.
                var tmp = Directory.CreateDirectory(Path.Combine(runDirectory, "tmp")).FullName;
                UnixFiles.SetMode(tmp, UnixFiles.WorldWritableDirectory | UnixFileMode.StickyBit);
                mounts.Add(new ContainerMount(tmp, "/tmp", ReadOnly: false));
            }

            return new ContainerLaunch(runDirectory, pod.Hostname, RunAs(pod.Pod, record.Spec), ContainerEnvironment.CommandLine(record.Spec, environment), environment, record.Spec.WorkingDir ?? "/", mounts);
        }
        catch (ContainerConfigException error)
        {
            pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {error.Message}");
            pod.Update(() => record.State = ContainerRecord.Waiting("CreateContainerConfigError", error.Message));
            return null;
        }
    }

    /// <summary>From the container's securityContext, else the pod's; null runs as root. A runAsNonRoot
    /// container without a non-root runAsUser cannot start (CreateContainerConfigError, as the kubelet
    /// cannot inspect an image's user here).</summary>
    private static ContainerUser? RunAs(V1Pod pod, V1Container container)
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
}
