using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>Flattens a <see cref="V1Pod"/> into the <see cref="KPod"/> the cmdlets emit; k8s types never leave the engine.</summary>
internal static class KPodConverter
{
    public static KPod ToKPod(V1Pod pod, KConnection connection)
    {
        var baseContainer = ContainerHelpers.BaseContainerName(pod);
        var baseTerminated = baseContainer is null ? null : ContainerHelpers.GetContainerStatus(pod, baseContainer)?.State?.Terminated;
        return new KPod
        {
            Name = pod.Metadata.Name,
            Namespace = pod.Metadata.NamespaceProperty,
            Uid = pod.Metadata.Uid,
            Phase = ParsePhase(pod.Status?.Phase),
            Status = PodStatusText.Status(pod),
            Ready = PodStatusText.Ready(pod),
            Restarts = PodStatusText.Restarts(pod),
            BaseContainer = baseContainer,
            ExitCode = baseTerminated?.ExitCode,
            TerminationMessage = baseTerminated?.Message,
            Reason = pod.Status?.Reason,
            Message = pod.Status?.Message,
            Containers = Containers(pod.Spec?.Containers, pod.Status?.ContainerStatuses, isInit: false),
            InitContainers = Containers(pod.Spec?.InitContainers, pod.Status?.InitContainerStatuses, isInit: true),
            Labels = Copy(pod.Metadata.Labels),
            Annotations = Copy(pod.Metadata.Annotations),
            CreationTimestamp = Utc(pod.Metadata.CreationTimestamp),
            StartTime = Utc(pod.Status?.StartTime),
            DeletionTimestamp = Utc(pod.Metadata.DeletionTimestamp),
            Node = pod.Spec?.NodeName,
            NominatedNode = pod.Status?.NominatedNodeName,
            PodIP = pod.Status?.PodIP,
            ReadinessGates = PodStatusText.ReadinessGates(pod),
            ResourceVersion = pod.Metadata.ResourceVersion,
            Connection = connection,
        };
    }

    public static PodPhase ParsePhase(string? phase) =>
        Enum.TryParse<PodPhase>(phase, ignoreCase: false, out var parsed) ? parsed : phase is null ? PodPhase.Pending : PodPhase.Unknown;

    private static List<KContainerState> Containers(IList<V1Container>? specs, IList<V1ContainerStatus>? statuses, bool isInit)
    {
        var result = new List<KContainerState>();
        foreach (var spec in specs ?? [])
        {
            var status = statuses?.FirstOrDefault(s => s.Name == spec.Name);
            var state = status?.State;
            result.Add(new KContainerState
            {
                Name = spec.Name,
                Image = spec.Image,
                State = state?.Terminated is not null ? "Terminated" : state?.Running is not null ? "Running" : state?.Waiting is not null ? "Waiting" : "Unknown",
                Reason = state?.Terminated?.Reason ?? state?.Waiting?.Reason,
                Message = state?.Terminated?.Message ?? state?.Waiting?.Message,
                ExitCode = state?.Terminated?.ExitCode,
                RestartCount = status?.RestartCount ?? 0,
                Ready = status?.Ready ?? false,
                IsInitContainer = isInit,
                StartedAt = Utc(state?.Running?.StartedAt ?? state?.Terminated?.StartedAt),
                FinishedAt = Utc(state?.Terminated?.FinishedAt),
            });
        }

        return result;
    }

    private static Dictionary<string, string> Copy(IDictionary<string, string>? source) =>
        source is null ? new Dictionary<string, string>() : new Dictionary<string, string>(source);

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } time
            ? new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : null;
}
