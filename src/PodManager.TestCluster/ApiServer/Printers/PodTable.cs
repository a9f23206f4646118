using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Printers;

/// <summary>The pod columns of <c>kubectl get pods</c> with the STATUS logic of printPod (pkg/printers/internalversion).</summary>
internal static class PodTable
{
    public static readonly TableConverter<V1Pod> Converter = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Ready", "string", string.Empty, "The aggregate readiness state of this pod for accepting traffic."),
            new TableColumn("Status", "string", string.Empty, "The aggregate status of the containers in this pod."),
            new TableColumn("Restarts", "string", string.Empty, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            new TableColumn("IP", "string", string.Empty, "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            new TableColumn("Node", "string", string.Empty, "NodeName is a request to schedule this pod onto a specific node.", 1),
            new TableColumn("Nominated Node", "string", string.Empty, "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
            new TableColumn("Readiness Gates", "string", string.Empty, "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ],
        Cells);

    private static IReadOnlyList<object?> Cells(V1Pod pod, DateTime now)
    {
        var status = pod.Status ?? new V1PodStatus();
        var initSpecs = pod.Spec.InitContainers ?? [];
        var totalContainers = pod.Spec.Containers.Count + initSpecs.Count(IsSidecar);
        var readyContainers = 0;
        var restarts = 0;
        var sidecarRestarts = 0;
        DateTime? lastRestart = null;
        DateTime? lastSidecarRestart = null;
        var reason = string.IsNullOrEmpty(status.Reason) ? status.Phase ?? "Pending" : status.Reason;

        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var spec = initSpecs.FirstOrDefault(c => c.Name == container.Name);
            restarts += container.RestartCount;
            lastRestart = Later(lastRestart, container.LastState?.Terminated?.FinishedAt);
            if (spec is not null && IsSidecar(spec))
            {
                sidecarRestarts += container.RestartCount;
                lastSidecarRestart = Later(lastSidecarRestart, container.LastState?.Terminated?.FinishedAt);
            }

            var terminated = container.State?.Terminated;
            var waiting = container.State?.Waiting;
            if (terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (spec is not null && IsSidecar(spec) && container.Started == true)
            {
                readyContainers += container.Ready ? 1 : 0;
                continue;
            }

            if (terminated is not null)
            {
                reason = string.IsNullOrEmpty(terminated.Reason)
                    ? terminated.Signal is > 0 ? $"Init:Signal:{terminated.Signal}" : $"Init:ExitCode:{terminated.ExitCode}"
                    : "Init:" + terminated.Reason;
            }
            else if (waiting is { Reason.Length: > 0 } && waiting.Reason != "PodInitializing")
            {
                reason = "Init:" + waiting.Reason;
            }
            else
            {
                reason = $"Init:{i}/{initSpecs.Count}";
            }

            initializing = true;
            break;
        }

        if (!initializing || status.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true)
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.RestartCount;
                lastRestart = Later(lastRestart, container.LastState?.Terminated?.FinishedAt);
                var state = container.State;
                if (state?.Waiting is { Reason.Length: > 0 } waiting)
                {
                    reason = waiting.Reason;
                }
                else if (state?.Terminated is { } terminated)
                {
                    reason = !string.IsNullOrEmpty(terminated.Reason)
                        ? terminated.Reason
                        : terminated.Signal is > 0 ? $"Signal:{terminated.Signal}" : $"ExitCode:{terminated.ExitCode}";
                }
                else if (container.Ready && state?.Running is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata.DeletionTimestamp is not null && status.Reason == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (pod.Metadata.DeletionTimestamp is not null && status.Phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartText = restarts != 0 && lastRestart is not null
            ? $"{restarts} ({HumanDuration.Since(lastRestart, now)} ago)"
            : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var podIp = status.PodIPs?.FirstOrDefault()?.Ip;
        return
        [
            pod.Metadata.Name,
            $"{readyContainers}/{totalContainers}",
            reason,
            restartText,
            HumanDuration.Since(pod.Metadata.CreationTimestamp, now),
            string.IsNullOrEmpty(podIp) ? "<none>" : podIp,
            string.IsNullOrEmpty(pod.Spec.NodeName) ? "<none>" : pod.Spec.NodeName,
            string.IsNullOrEmpty(status.NominatedNodeName) ? "<none>" : status.NominatedNodeName,
            ReadinessGates(pod),
        ];
    }

    private static string ReadinessGates(V1Pod pod)
    {
        if (pod.Spec.ReadinessGates is not { Count: > 0 } gates)
        {
            return "<none>";
        }

        var ready = gates.Count(g => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
        return $"{ready}/{gates.Count}";
    }

    private static bool IsSidecar(V1Container container) => container.RestartPolicy == "Always";

    private static DateTime? Later(DateTime? current, DateTime? candidate) =>
        candidate is not null && (current is null || candidate > current) ? candidate : current;
}
