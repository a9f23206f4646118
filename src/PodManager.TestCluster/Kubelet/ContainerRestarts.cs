using k8s.Models;
using PodManager.TestCluster.Events;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Whether a container that ended runs again, and the CrashLoopBackOff before it does. The effective restart
/// policy is the pod's; init containers follow OnFailure unless the pod's is Never, and native sidecars always
/// restart (ShouldContainerBeRestarted in pkg/kubelet/container/helpers.go, and the sidecar rules of KEP-753).
/// </summary>
internal static class ContainerRestarts
{
    public static bool ShouldRestart(V1Pod pod, ContainerRole role, int exitCode)
    {
        var podPolicy = pod.Spec.RestartPolicy ?? "Always";
        var policy = role switch
        {
            ContainerRole.Sidecar => "Always",
            ContainerRole.Init => podPolicy == "Never" ? "Never" : "OnFailure",
            _ => podPolicy,
        };
        return policy == "Always" || (policy == "OnFailure" && exitCode != 0);
    }

    /// <summary>Waits in CrashLoopBackOff after <paramref name="failures"/> restarts, its event recorded before the state that shows it.</summary>
    public static async Task BackOffAsync(PodWorker pod, ContainerRecord record, int failures, CancellationToken stopping)
    {
        var kubelet = pod.Kubelet;
        var name = record.Spec.Name;
        var delay = kubelet.BackOff.Delay(kubelet.BackOff.CrashLoopBase, failures);
        var podName = $"{pod.Pod.Metadata.Name}_{pod.Pod.Metadata.NamespaceProperty}({pod.Pod.Metadata.Uid})";
        pod.Event(record, EventRecorder.Warning, "BackOff", $"Back-off restarting failed container {name} in pod {podName}");
        pod.Update(() =>
        {
            record.MoveToLastState();
            record.State = ContainerRecord.Waiting("CrashLoopBackOff", $"back-off {BackOffPolicy.Describe(delay)} restarting failed container={name} pod={podName}");
        });
        await Task.Delay(delay, kubelet.Time, stopping);
    }
}
