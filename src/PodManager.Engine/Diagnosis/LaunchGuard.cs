using k8s.Models;

namespace PodManager.Engine.Diagnosis;

/// <summary>
/// Follows one pod's states during a wait and says when it can no longer start. It remembers what a single
/// status cannot show: the pull error behind a bare ImagePullBackOff, and how long a config error has lasted.
/// </summary>
/// <param name="readEvents">The pod's events, oldest first; read only when a status hides a pull error's cause.</param>
internal sealed class LaunchGuard(TimeProvider timeProvider, TimeSpan configErrorGrace, Func<CancellationToken, Task<IReadOnlyList<KPodEvent>>> readEvents)
{
    private readonly Dictionary<string, string> pullErrors = new(StringComparer.Ordinal);
    private long? configErrorSince;

    /// <returns>A fatal finding, or null; RecheckIn is set while a config error is in its grace.</returns>
    public async Task<(FailureFinding? Finding, TimeSpan? RecheckIn)> CheckAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
        {
            if (status.State?.Waiting is { Reason: "ErrImagePull", Message: { Length: > 0 } message })
            {
                pullErrors[status.Name] = message;
            }
        }

        var finding = LaunchFailureDetector.Detect(pod, pullErrors);
        if (finding is { Reason: "ImagePullBackOff", Container: { } container } && !pullErrors.ContainsKey(container))
        {
            // The wait began after the pull failed (the pod was already backing off): the kubelet's last "Failed to
            // pull image" event of the container still says whether the cause is one that passes, such as a 429.
            pullErrors[container] = await LastPullErrorAsync(container, cancellationToken).ConfigureAwait(false) ?? string.Empty;
            finding = LaunchFailureDetector.Detect(pod, pullErrors);
        }

        if (finding is not { NeedsGrace: true })
        {
            configErrorSince = null;
            return (finding, null);
        }

        configErrorSince ??= timeProvider.GetTimestamp();
        var left = configErrorGrace - timeProvider.GetElapsedTime(configErrorSince.Value);
        return left <= TimeSpan.Zero ? (finding, null) : (null, left);
    }

    private async Task<string?> LastPullErrorAsync(string container, CancellationToken cancellationToken)
    {
        var events = await readEvents(cancellationToken).ConfigureAwait(false);
        return events.LastOrDefault(e =>
            e.Reason == "Failed"
            && e.Message.StartsWith("Failed to pull image", StringComparison.Ordinal)
            && (e.FieldPath == $"spec.containers{{{container}}}" || e.FieldPath == $"spec.initContainers{{{container}}}"))?.Message;
    }
}
