using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>kubectl's STATUS and READY columns (printPod in kubernetes/pkg/printers), so a KPod reads like kubectl get pods.</summary>
internal static class PodStatusText
{
    public static string Status(V1Pod pod)
    {
        var status = pod.Status;
        var reason = !string.IsNullOrEmpty(status?.Reason) ? status.Reason : status?.Phase ?? "Pending";
        var initContainers = pod.Spec?.InitContainers ?? [];
        var initializing = false;
        var initStatuses = status?.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var state = container.State;
            var isSidecar = initContainers.FirstOrDefault(c => c.Name == container.Name)?.RestartPolicy == "Always";
            if (state?.Terminated is { ExitCode: 0 } || (isSidecar && container.Started == true))
            {
                continue;
            }

            initializing = true;
            if (state?.Terminated is { } terminated)
            {
                reason = !string.IsNullOrEmpty(terminated.Reason)
                    ? "Init:" + terminated.Reason
                    : terminated.Signal is > 0 ? $"Init:Signal:{terminated.Signal}" : $"Init:ExitCode:{terminated.ExitCode}";
            }
            else if (state?.Waiting is { Reason: { Length: > 0 } waitingReason } && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = $"Init:{i}/{initContainers.Count}";
            }

            break;
        }

        if (!initializing || HasCondition(pod, "Initialized"))
        {
            var hasRunning = false;
            var statuses = status?.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var state = statuses[i].State;
                if (state?.Waiting is { Reason: { Length: > 0 } waiting })
                {
                    reason = waiting;
                }
                else if (state?.Terminated is { Reason: { Length: > 0 } terminatedReason })
                {
                    reason = terminatedReason;
                }
                else if (state?.Terminated is { } terminated)
                {
                    reason = terminated.Signal is > 0 ? $"Signal:{terminated.Signal}" : $"ExitCode:{terminated.ExitCode}";
                }
                else if (statuses[i].Ready && state?.Running is not null)
                {
                    hasRunning = true;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = HasCondition(pod, "Ready") ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            reason = status?.Reason == "NodeLost" ? "Unknown" : status?.Phase is "Succeeded" or "Failed" ? reason : "Terminating";
        }

        return reason;
    }

    public static string Ready(V1Pod pod)
    {
        var total = pod.Spec?.Containers?.Count ?? 0;
        var ready = pod.Status?.ContainerStatuses?.Count(s => s.Ready && s.State?.Running is not null) ?? 0;
        var sidecars = pod.Spec?.InitContainers?.Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet() ?? [];
        total += sidecars.Count;
        ready += pod.Status?.InitContainerStatuses?.Count(s => sidecars.Contains(s.Name) && s.Ready) ?? 0;
        return $"{ready}/{total}";
    }

    /// <summary>kubectl's READINESS GATES: the gates whose condition is True over all gates; null when the pod has none (kubectl's &lt;none&gt;).</summary>
    public static string? ReadinessGates(V1Pod pod)
    {
        if (pod.Spec?.ReadinessGates is not { Count: > 0 } gates)
        {
            return null;
        }

        var ready = gates.Count(g => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
        return $"{ready}/{gates.Count}";
    }

    public static int Restarts(V1Pod pod) =>
        (pod.Status?.ContainerStatuses?.Sum(s => s.RestartCount) ?? 0)
        + (pod.Status?.InitContainerStatuses?.Sum(s => s.RestartCount) ?? 0);

    private static bool HasCondition(V1Pod pod, string type) =>
        pod.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
