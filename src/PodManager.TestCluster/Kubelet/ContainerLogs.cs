using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Kubelet;

/// <summary>Which run's log a log request reads, following the kubelet's validateContainerLogStatus
/// (pkg/kubelet/kubelet_pods.go): the current run, or the previous one with <c>previous</c>; a container with
/// no such run answers with the kubelet's message.</summary>
internal static class ContainerLogs
{
    /// <summary>Call under the pod worker's lock, which guards the record.</summary>
    public static LogFile Resolve(ContainerRecord record, string podName, bool previous)
    {
        var name = record.Spec.Name;
        var hasCurrent = record.State.Running is not null || record.State.Terminated is not null;
        var containerId = previous ? record.LastTerminated?.ContainerID : hasCurrent ? record.ContainerId : record.LastTerminated?.ContainerID;
        if (containerId is not null && record.Runs.FirstOrDefault(run => run.ContainerId == containerId) is { } run)
        {
            return run.Log;
        }

        if (previous)
        {
            throw new LogUnavailableException($"previous terminated container \"{name}\" in pod \"{podName}\" not found");
        }

        if (hasCurrent || record.LastTerminated is not null)
        {
            throw new LogUnavailableException($"container \"{name}\" in pod \"{podName}\" is terminated");
        }

        var reason = record.State.Waiting?.Reason;
        throw new LogUnavailableException(reason switch
        {
            "ErrImagePull" => $"container \"{name}\" in pod \"{podName}\" is waiting to start: image can't be pulled",
            "ImagePullBackOff" => $"container \"{name}\" in pod \"{podName}\" is waiting to start: trying and failing to pull image",
            { Length: > 0 } => $"container \"{name}\" in pod \"{podName}\" is waiting to start: {reason}",
            _ => $"container \"{name}\" in pod \"{podName}\" is waiting to start - no logs yet",
        });
    }
}

/// <summary>A container has no log to serve yet (or no previous run); the message is the kubelet's.</summary>
internal sealed class LogUnavailableException(string message) : Exception(message);
