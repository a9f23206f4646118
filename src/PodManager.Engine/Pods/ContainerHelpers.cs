using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>Airflow's container.py functions (airflow.providers.cncf.kubernetes.utils.container), over a pod object (no API calls).</summary>
public static class ContainerHelpers
{
    /// <summary>The status of <paramref name="containerName"/>: regular containers first, then init containers.</summary>
    public static V1ContainerStatus? GetContainerStatus(V1Pod? pod, string containerName) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == containerName)
        ?? pod?.Status?.InitContainerStatuses?.FirstOrDefault(s => s.Name == containerName);

    public static bool ContainerIsRunning(V1Pod? pod, string containerName) =>
        GetContainerStatus(pod, containerName)?.State?.Running is not null;

    /// <summary>Whether the container has terminated; init containers count, as Airflow's container_is_completed.</summary>
    public static bool ContainerIsCompleted(V1Pod? pod, string containerName) =>
        GetContainerStatus(pod, containerName)?.State?.Terminated is not null;

    public static bool ContainerIsSucceeded(V1Pod? pod, string containerName) =>
        GetContainerStatus(pod, containerName)?.State?.Terminated is { ExitCode: 0 };

    public static bool ContainerIsWaiting(V1Pod? pod, string containerName) =>
        GetContainerStatus(pod, containerName)?.State?.Waiting is not null;

    /// <summary>Whether any container of the pod, init containers included, is running.</summary>
    public static bool AnyContainerRunning(V1Pod? pod) =>
        (pod?.Status?.ContainerStatuses ?? []).Concat(pod?.Status?.InitContainerStatuses ?? []).Any(s => s.State?.Running is not null);

    /// <summary>Whether a regular (not init) container has terminated, as Airflow's container_is_terminated.</summary>
    public static bool ContainerIsTerminated(V1Pod? pod, string containerName) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == containerName)?.State?.Terminated is not null;

    /// <summary>The termination message of a terminated regular container, else null.</summary>
    public static string? GetContainerTerminationMessage(V1Pod? pod, string containerName) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == containerName)?.State?.Terminated?.Message;

    /// <summary>The container whose result is the pod's: <c>base</c> when the pod has one, else the first container.</summary>
    public static string? BaseContainerName(V1Pod pod) =>
        pod.Spec?.Containers?.FirstOrDefault(c => c.Name == PodDefaults.BaseContainerName)?.Name
        ?? pod.Spec?.Containers?.FirstOrDefault()?.Name;
}
