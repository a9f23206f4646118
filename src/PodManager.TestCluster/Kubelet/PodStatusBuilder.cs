using k8s.Models;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Derives a pod's status from the kubelet's records: phase, container statuses, and the conditions with the
/// reasons of pkg/kubelet/status/generate.go. The scheduler's PodScheduled condition is carried over.
/// </summary>
internal static class PodStatusBuilder
{
    public static V1PodStatus Build(V1Pod pod, PodRuntime runtime, DateTime now)
    {
        var restartPolicy = pod.Spec.RestartPolicy ?? "Always";
        var phase = runtime.TerminalPhase ?? PodPhaseCalculator.Compute(restartPolicy, runtime);
        if (phase is "Succeeded" or "Failed")
        {
            runtime.TerminalPhase = phase;
        }

        var conditions = new List<V1PodCondition>();
        if (runtime.DisruptionReason is { } disruption)
        {
            conditions.Add(Condition(runtime, "DisruptionTarget", "True", now, disruption, runtime.Message));
        }

        var sandboxReady = runtime.SandboxReady && phase is not ("Succeeded" or "Failed");
        conditions.Add(Condition(runtime, "PodReadyToStartContainers", sandboxReady ? "True" : "False", now));
        conditions.Add(InitializedCondition(runtime, now));
        var (ready, readyReason, readyMessage) = ContainersReady(runtime, phase);
        conditions.Add(Condition(runtime, "Ready", ready, now, readyReason, readyMessage));
        conditions.Add(Condition(runtime, "ContainersReady", ready, now, readyReason, readyMessage));
        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is { } scheduled)
        {
            conditions.Add(scheduled);
        }

        var status = new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = runtime.HostIp,
            HostIPs = runtime.HostIp is null ? null : [new V1HostIP { Ip = runtime.HostIp }],
            PodIP = runtime.PodIp,
            PodIPs = runtime.PodIp is null ? null : [new V1PodIP { Ip = runtime.PodIp }],
            StartTime = runtime.StartTime,
            ContainerStatuses = runtime.Containers.Select(c => c.ToStatus()).OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
            InitContainerStatuses = runtime.InitContainers.Count == 0 ? null : runtime.InitContainers.Select(c => c.ToStatus()).ToList(),
            QosClass = pod.Status?.QosClass,
            Reason = runtime.Reason,
            Message = runtime.Message,
        };
        return status;
    }

    private static V1PodCondition InitializedCondition(PodRuntime runtime, DateTime now)
    {
        var incomplete = runtime.InitContainers
            .Where(c => c.Role == ContainerRole.Init ? c.State.Terminated?.ExitCode != 0 : !c.Started && !c.HasTerminated && c.LastTerminated is null)
            .Select(c => c.Spec.Name)
            .ToList();
        return incomplete.Count == 0
            ? Condition(runtime, "Initialized", "True", now)
            : Condition(runtime, "Initialized", "False", now, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]");
    }

    private static (string Status, string? Reason, string? Message) ContainersReady(PodRuntime runtime, string phase)
    {
        if (phase == "Succeeded")
        {
            return ("False", "PodCompleted", null);
        }

        if (phase == "Failed")
        {
            return ("False", "PodFailed", null);
        }

        var unready = runtime.InitContainers.Where(c => c.Role == ContainerRole.Sidecar)
            .Concat(runtime.Containers)
            .Where(c => !c.Ready)
            .Select(c => c.Spec.Name)
            .ToList();
        return unready.Count == 0
            ? ("True", null, null)
            : ("False", "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
    }

    private static V1PodCondition Condition(PodRuntime runtime, string type, string status, DateTime now, string? reason = null, string? message = null) => new()
    {
        Type = type,
        Status = status,
        LastTransitionTime = runtime.TransitionTime(type, status, now),
        Reason = reason,
        Message = message,
    };
}
