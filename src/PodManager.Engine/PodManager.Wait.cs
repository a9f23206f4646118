using k8s.Models;
using PodManager.Engine.Diagnosis;
using PodManager.Engine.Logs;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Waits until the pod has finished (Airflow's await_pod_completion) and returns its final state:
    /// a terminal phase, or — when the pod has other containers, such as sidecars that never end — the
    /// base container's termination, so a sidecar cannot hang the caller (apache/airflow#39693). A pod that is
    /// not scheduled within <paramref name="scheduleTimeout"/> (default <see cref="PodManagerOptions.ScheduleTimeout"/>)
    /// of the wait's start fails with PodLaunchTimeout and the scheduler's reason, as <see cref="AwaitPodStartAsync"/>.
    /// </summary>
    public Task<V1Pod> AwaitPodCompletionAsync(string ns, string name, TimeSpan? timeout, CancellationToken cancellationToken, string? container = null, IProgress<KPod>? progress = null, TimeSpan? scheduleTimeout = null) =>
        WithTimeoutAsync(
            timeout,
            async token =>
            {
                var time = Options.TimeProvider;
                var scheduleLimit = scheduleTimeout ?? Options.ScheduleTimeout;
                var waitStarted = time.GetTimestamp();
                using var watch = await WatchPodAsync(ns, name, token).ConfigureAwait(false);
                var guard = new LaunchGuard(time, Options.ConfigErrorGrace, ct => ReadPodEventsAsync(ns, name, ct));
                while (true)
                {
                    var pod = watch.Current ?? throw PodNotFound(ns, name, " (it does not exist, or was deleted while we waited for it to complete)");
                    if (container is not null)
                    {
                        // A container the pod does not have never completes: name the ones it has instead of waiting for ever.
                        ResolveContainer(pod, container);
                    }

                    progress?.Report(ToKPod(pod));

                    // A container the pod does not have would leave only the pod's phase to wait on: name the ones it has.
                    if (container is not null)
                    {
                        ResolveContainer(pod, container);
                    }

                    if (IsComplete(pod, container))
                    {
                        return pod;
                    }

                    // A pod that can never start never completes either (apache/airflow#59010): say so instead of hanging.
                    var (finding, recheckIn) = await guard.CheckAsync(pod, token).ConfigureAwait(false);
                    if (finding is not null)
                    {
                        throw await LaunchFailedAsync(pod, finding, token).ConfigureAwait(false);
                    }

                    // Nor does one that no node takes.
                    if (!IsScheduled(pod))
                    {
                        var left = scheduleLimit - time.GetElapsedTime(waitStarted);
                        if (left <= TimeSpan.Zero)
                        {
                            throw await LaunchTimeoutAsync(pod, scheduled: false, scheduleLimit, token).ConfigureAwait(false);
                        }

                        recheckIn = recheckIn is { } grace && grace < left ? grace : left;
                    }

                    await watch.NextAsync(recheckIn, token).ConfigureAwait(false);
                }
            },
            () => new PodManagerException(ErrorIds.PodCompletionTimeout,
                $"Pod {ns}/{name} had not completed after {timeout!.Value.TotalSeconds:0} s. Raise -Timeout, or look at its logs and events (Get-KPodLog, Get-KPodEvent)."),
            cancellationToken);

    /// <summary>
    /// <see cref="AwaitPodCompletionAsync"/>, following the watched container's log into <see cref="CompletionWait.OnLogLine"/>
    /// when one is given. The log is a by-product of the wait: one that cannot be read to the end (the API keeps
    /// failing) is a warning naming the pod and the reason, and the pod's outcome is still the result, as in
    /// Airflow, whose fetch_container_logs gives up on the log and lets the task go on.
    /// </summary>
    internal async Task<V1Pod> AwaitCompletionAsync(string ns, string name, CompletionWait wait, CancellationToken cancellationToken)
    {
        if (wait.OnLogLine is not { } onLogLine)
        {
            return await AwaitPodCompletionAsync(ns, name, wait.Timeout, cancellationToken, wait.Container, wait.Progress, wait.ScheduleTimeout).ConfigureAwait(false);
        }

        using var stopLogs = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var logs = Task.Run(async () =>
        {
            await foreach (var line in ReadPodLogsAsync(ns, name, new LogRequest { Container = wait.Container, Follow = true }, stopLogs.Token).ConfigureAwait(false))
            {
                onLogLine(line);
            }
        }, CancellationToken.None);
        V1Pod done;
        try
        {
            done = await AwaitPodCompletionAsync(ns, name, wait.Timeout, cancellationToken, wait.Container, wait.Progress, wait.ScheduleTimeout).ConfigureAwait(false);
        }
        catch
        {
            await stopLogs.CancelAsync().ConfigureAwait(false);
            await logs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        try
        {
            // The log follow ends by itself once the container has ended and its tail is read.
            await logs.ConfigureAwait(false);
        }
        catch (PodManagerException e)
        {
            wait.OnWarning?.Invoke($"The log of pod {ns}/{name} could not be read to the end, so the lines shown may be incomplete: {e.Message}");
        }

        return done;
    }

    public async Task<PodCompletion> WaitForCompletionAsync(string ns, string name, CompletionWait wait, CancellationToken cancellationToken)
    {
        var done = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
        var failure = IsSucceeded(done, wait.Container) ? null : await PodFailedAsync(done, cancellationToken, wait.Container).ConfigureAwait(false);
        return new PodCompletion(ToKPod(done), failure);
    }

    /// <summary>The completion rule: a terminal phase, or the watched container terminated in a pod that has other containers.</summary>
    public static bool IsComplete(V1Pod pod, string? container = null)
    {
        if (KPodPhase(pod).IsTerminal())
        {
            return true;
        }

        var watched = container ?? ContainerHelpers.BaseContainerName(pod);
        var hasOthers = (pod.Spec?.Containers?.Count ?? 0) > 1 || pod.Spec?.InitContainers?.Any(c => c.RestartPolicy == "Always") == true;
        return watched is not null && (hasOthers || container is not null) && ContainerHelpers.ContainerIsTerminated(pod, watched);
    }

    private static PodPhase KPodPhase(V1Pod pod) => KPodConverter.ParsePhase(pod.Status?.Phase);
}
