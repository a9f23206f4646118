using k8s.Models;
using PodManager.Engine.Pods;

namespace PodManager.Engine.Diagnosis;

/// <summary>
/// Builds the one error a user needs when a pod fails: the finding, plus the pod's Warning events and
/// the last log lines of the failing container. Gathering is best effort and bounded in time: a
/// diagnosis must never hide the failure it explains.
/// </summary>
internal sealed class PodDiagnoser(PodManager manager)
{
    public const int LogLines = 20;

    private static readonly TimeSpan GatherLimit = TimeSpan.FromSeconds(10);

    public async Task<KPodDiagnosis> DiagnoseAsync(V1Pod pod, FailureFinding finding, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(GatherLimit);

        var warnings = await Try<KPodEvent>(async () => (await manager.ReadPodEventsAsync(ns, name, limit.Token).ConfigureAwait(false))
            .Where(e => e.Type == "Warning").ToList(), []).ConfigureAwait(false);
        var container = finding.Container ?? ContainerHelpers.BaseContainerName(pod);
        var lines = container is null ? [] : await Try<string>(() => manager.ReadLastLinesAsync(pod, container, LogLines, limit.Token), []).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        return new KPodDiagnosis
        {
            Pod = name,
            Namespace = ns,
            Reason = finding.Reason,
            Message = finding.Message,
            Container = container,
            ExitCode = finding.ExitCode,
            TerminationMessage = finding.TerminationMessage,
            Warnings = warnings,
            LastLogLines = lines,
            RecommendedAction = RecommendedActions.For(finding.Reason),
        };
    }

    /// <summary>What went wrong with a pod that ended Failed, or whose watched container failed.</summary>
    public static FailureFinding ForFinishedPod(V1Pod pod, string? container = null)
    {
        if (pod.Status?.Reason is { Length: > 0 } podReason)
        {
            // A pod-level reason (Evicted, DeadlineExceeded, NodeLost ...) outranks whatever the containers say.
            return new FailureFinding(podReason, pod.Status.Message);
        }

        var name = container ?? ContainerHelpers.BaseContainerName(pod);
        var statuses = (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []);
        var failed = statuses.Where(s => s.State?.Terminated is { ExitCode: not 0 }).OrderBy(s => s.Name == name ? 0 : 1).FirstOrDefault();
        if (failed?.State?.Terminated is { } terminated)
        {
            var reason = string.IsNullOrEmpty(terminated.Reason) ? "Error" : terminated.Reason;
            var message = reason == "OOMKilled"
                ? $"Container '{failed.Name}' was killed for using more memory than its limit (OOMKilled, exit code {terminated.ExitCode})."
                : $"Container '{failed.Name}' exited with code {terminated.ExitCode}.";
            return new FailureFinding(reason, message, failed.Name, terminated.ExitCode, terminated.Message);
        }

        return new FailureFinding(pod.Status?.Reason ?? "Failed", pod.Status?.Message ?? $"Pod ended in phase {pod.Status?.Phase}.", name);
    }

    private static async Task<IReadOnlyList<T>> Try<T>(Func<Task<IReadOnlyList<T>>> gather, IReadOnlyList<T> fallback)
    {
        try
        {
            return await gather().ConfigureAwait(false);
        }
        catch (Exception e) when (e is PodManagerException or OperationCanceledException)
        {
            return fallback;
        }
    }
}
