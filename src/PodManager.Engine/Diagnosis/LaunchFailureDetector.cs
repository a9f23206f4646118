using k8s.Models;

namespace PodManager.Engine.Diagnosis;

/// <summary>
/// Recognises a pod that will never start, from its status alone (Airflow's
/// detect_pod_terminate_early_issues, extended as Dagster and Prefect do): image errors unless the
/// message looks transient, crash loops, runtime and config errors, and failed init containers.
/// </summary>
internal static class LaunchFailureDetector
{
    /// <summary>Airflow's list: image-pull messages that mean "try again", not "never".</summary>
    public static readonly IReadOnlyList<string> TransientPullPatterns =
    [
        "pull qps exceeded", "rate limit", "too many requests", "quota exceeded",
        "temporarily unavailable", "timeout", "account limit",
        "bad gateway", "service unavailable", "gateway timeout",
    ];

    private static readonly HashSet<string> AlwaysFatal = new(StringComparer.Ordinal) { "CrashLoopBackOff", "RunContainerError" };

    /// <param name="lastPullErrors">
    /// The last ErrImagePull message seen per container: ImagePullBackOff's own message is a bare
    /// "Back-off pulling image", so a transient cause is only known from the pull error before it.
    /// </param>
    public static FailureFinding? Detect(V1Pod pod, IReadOnlyDictionary<string, string>? lastPullErrors = null)
    {
        var restartPolicy = pod.Spec?.RestartPolicy ?? "Always";
        foreach (var status in pod.Status?.InitContainerStatuses ?? [])
        {
            if (status.State?.Terminated is { ExitCode: not 0 } terminated && restartPolicy == "Never")
            {
                return new FailureFinding("InitContainerFailed", $"Init container '{status.Name}' exited with code {terminated.ExitCode}{(string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})")}.",
                    status.Name, terminated.ExitCode, terminated.Message);
            }

            if (FromWaiting(status, lastPullErrors) is { } initFinding)
            {
                return initFinding;
            }
        }

        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            if (FromWaiting(status, lastPullErrors) is { } finding)
            {
                return finding;
            }
        }

        return null;
    }

    public static bool IsTransientPullMessage(string? message) =>
        message is not null && TransientPullPatterns.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase));

    private static FailureFinding? FromWaiting(V1ContainerStatus status, IReadOnlyDictionary<string, string>? lastPullErrors)
    {
        if (status.State?.Waiting is not { Reason: { Length: > 0 } reason } waiting)
        {
            return null;
        }

        var lastRun = status.LastState?.Terminated;
        if (reason is "InvalidImageName" or "ErrImageNeverPull")
        {
            return new FailureFinding(reason, ImageMessage(reason, waiting.Message), status.Name);
        }

        if (AlwaysFatal.Contains(reason))
        {
            return new FailureFinding(reason, waiting.Message, status.Name, lastRun?.ExitCode, lastRun?.Message);
        }

        if (reason is "ErrImagePull" or "ImagePullBackOff")
        {
            var cause = reason == "ImagePullBackOff" && lastPullErrors?.TryGetValue(status.Name, out var pullError) == true ? pullError : null;
            return IsTransientPullMessage(waiting.Message) || IsTransientPullMessage(cause)
                ? null
                : new FailureFinding(reason, ImageMessage(reason, waiting.Message), status.Name);
        }

        return reason == "CreateContainerConfigError"
            ? new FailureFinding(reason, waiting.Message, status.Name) { NeedsGrace = true }
            : null;
    }

    // Airflow's wording for every image reason (detect_pod_terminate_early_issues), the fatal ones included.
    private static string ImageMessage(string reason, string? message) => $"Image cannot be pulled, unable to start: {reason}\n{message}".TrimEnd();
}
