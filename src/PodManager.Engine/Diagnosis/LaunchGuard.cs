using k8s.Models;

namespace PodManager.Engine.Diagnosis;

/// <summary>
/// Follows one pod's states during a wait and says when it can no longer start. It remembers what a single
/// status cannot show: the pull error behind a bare ImagePullBackOff, and how long a config error has lasted.
/// </summary>
internal sealed class LaunchGuard(TimeProvider timeProvider, TimeSpan configErrorGrace)
{
    private readonly Dictionary<string, string> pullErrors = new(StringComparer.Ordinal);
    private long? configErrorSince;

    /// <returns>A fatal finding, or null; <paramref name="recheckIn"/> is set while a config error is in its grace.</returns>
    public FailureFinding? Check(V1Pod pod, out TimeSpan? recheckIn)
    {
        recheckIn = null;
        foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
        {
            if (status.State?.Waiting is { Reason: "ErrImagePull", Message: { Length: > 0 } message })
            {
                pullErrors[status.Name] = message;
            }
        }

        var finding = LaunchFailureDetector.Detect(pod, pullErrors);
        if (finding is not { NeedsGrace: true })
        {
            configErrorSince = null;
            return finding;
        }

        configErrorSince ??= timeProvider.GetTimestamp();
        var left = configErrorGrace - timeProvider.GetElapsedTime(configErrorSince.Value);
        if (left <= TimeSpan.Zero)
        {
            return finding;
        }

        recheckIn = left;
        return null;
    }
}
