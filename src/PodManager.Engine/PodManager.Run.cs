using k8s.Models;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan LastLinesLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The whole operator in one call: create (or reattach), wait for the start, stream the log, wait for
    /// completion, read the XCom result, and apply the finish action — which also runs when the caller
    /// cancels, so a stopped run leaves no pod behind unless asked to keep it.
    /// </summary>
    public async Task<PodRunOutcome> RunPodAsync(PodRunRequest request, CancellationToken cancellationToken)
    {
        var started = Options.TimeProvider.GetTimestamp();
        var pod = (request.XCom ? request.Pod.WithXComSidecar(request.XComSidecar, Options.XComSidecarImage) : request.Pod).Pod;
        var run = await GetOrCreateOwnedPodAsync(pod, request.RunKey, request.FinishAction, cancellationToken).ConfigureAwait(false);

        var ns = run.Pod.Metadata.NamespaceProperty;
        var name = run.Pod.Metadata.Name;
        var progress = request.OnStateChange is null ? null : new SyncProgress<KPod>(request.OnStateChange);
        V1Pod final = run.Pod;
        PodManagerException? failure = null;
        string? xcom = null;
        IReadOnlyList<string> lastLines = [];
        var tail = request.OnLogLine is not null && request.LastLogLines > 0 ? new LogTail(request.LastLogLines) : null;
        var deleted = false;
        try
        {
            var wait = new CompletionWait
            {
                Timeout = request.Timeout,
                ScheduleTimeout = request.ScheduleTimeout,
                Progress = progress,
                OnLogLine = tail is null ? request.OnLogLine : line =>
                {
                    tail.Add(line);
                    request.OnLogLine!(line);
                },
                // The wait warns only about a log it could not read to the end: then the tail is not the log's last lines.
                OnWarning = tail is null ? request.OnWarning : warning =>
                {
                    tail.FollowBroke();
                    request.OnWarning?.Invoke(warning);
                },
            };
            if (!IsComplete(run.Pod))
            {
                await AwaitPodStartAsync(ns, name, request.ScheduleTimeout, request.StartupTimeout, cancellationToken, progress, known: run.Pod).ConfigureAwait(false);
                final = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
                tail?.FollowEnded();
            }
            else if (request.OnLogLine is not null)
            {
                // A pod that had already completed when the run found it (adopted after the create's answer was lost, or
                // reattached by its run key) still has its log shown, as asked, instead of none without a word.
                final = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
                tail?.FollowEnded();
            }

            if (request.XCom)
            {
                // A result asked for is read whatever state the sidecar is in: one still starting (a slow pull keeps
                // the pod Pending after the base has ended, or a reattach finds it so) is waited for, up to the XCom
                // sidecar start timeout, and one that has stopped is an error, never a missing result.
                (xcom, failure) = await ReadXComAsync(request, () => ExtractXComAsync(ns, name, cancellationToken)).ConfigureAwait(false);
                final = await SettleAsync(ns, name, final, cancellationToken).ConfigureAwait(false);
            }
            else if (request.XComFromTerminationMessage)
            {
                (xcom, failure) = await ReadXComAsync(request, () => ReadXComFromTerminationMessageAsync(ns, name, cancellationToken)).ConfigureAwait(false);
            }

            if (!IsSucceeded(final))
            {
                if (failure is not null)
                {
                    request.OnWarning?.Invoke(failure.Message);
                }

                failure = await PodFailedAsync(final, cancellationToken).ConfigureAwait(false);
            }
            else if (failure is null && KPodPhase(final) == PodPhase.Failed)
            {
                // The base container succeeded but another one failed the pod: a Failed phase never comes without an error.
                failure = await PodFailedAsync(final, cancellationToken).ConfigureAwait(false);
            }

            lastLines = tail is { Complete: true } ? tail.Lines : await KeepLastLinesAsync(final, request, failure, cancellationToken).ConfigureAwait(false);
        }
        catch (PodManagerException e)
        {
            // Whatever went wrong after the pod existed, the caller still gets its result (and the pod is cleaned up);
            // an unreachable cluster has no fresher state to give.
            failure = e;
            if (e.ErrorId != ErrorIds.ClusterUnreachable.Name)
            {
                final = await TryReadPodAsync(ns, name, CancellationToken.None).ConfigureAwait(false) ?? final;
                lastLines = await KeepLastLinesAsync(final, request, failure, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The finish action (on success, failure or Ctrl+C) must not be cancelled with the run it cleans up after.
            using var cleanup = new CancellationTokenSource(CleanupLimit, Options.TimeProvider);
            var action = cancellationToken.IsCancellationRequested && request.FinishAction != OnFinishAction.KeepPod ? OnFinishAction.DeletePod : request.FinishAction;
            try
            {
                deleted = await ApplyFinishActionAsync(ns, name, action, gracePeriodSeconds: null, wait: false, cleanup.Token).ConfigureAwait(false);
            }
            catch (PodManagerException cleanupFailure) when (failure is not null)
            {
                // The run's own failure is the error to report; the pod it may have left is worth a warning.
                request.OnWarning?.Invoke($"The finish action {action} could not be applied to pod {ns}/{name}: {cleanupFailure.Message}");
            }
        }

        // The outcome is reported now; a kept, finished pod of a run key must not be reported again by a rerun.
        if (!deleted && RunKeyOf(final) is not null && IsComplete(final)
            && await TryMarkAlreadyCheckedAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } markFailed)
        {
            request.OnWarning?.Invoke(markFailed);
        }

        var kpod = ToKPod(final);
        var result = new KPodResult
        {
            Pod = kpod,
            Phase = kpod.Phase,
            ExitCode = kpod.ExitCode,
            XComJson = xcom,
            Duration = Options.TimeProvider.GetElapsedTime(started),
            Diagnosis = failure?.Diagnosis,
            Reattached = run.Reattached,
            Deleted = deleted,
            LastLogLines = lastLines,
        };
        return new PodRunOutcome(result, failure);
    }

    /// <summary>
    /// The base container's last log lines for the result, read before the finish action can delete the pod; a failure's
    /// diagnosis has read them already when it holds as many. Best effort and bounded in time, as a diagnosis: a log that
    /// cannot be read is a warning, never the run's failure.
    /// </summary>
    private async Task<IReadOnlyList<string>> KeepLastLinesAsync(V1Pod pod, PodRunRequest request, PodManagerException? failure, CancellationToken cancellationToken)
    {
        var container = ContainerHelpers.BaseContainerName(pod);
        if (request.LastLogLines <= 0 || container is null || cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        if (failure?.Diagnosis is { } diagnosis && diagnosis.Container == container && request.LastLogLines <= PodRunRequest.DefaultLastLogLines)
        {
            return diagnosis.LastLogLines.TakeLast(request.LastLogLines).ToList();
        }

        using var limit = new CancellationTokenSource(LastLinesLimit, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            return await ReadLastLinesAsync(pod, container, request.LastLogLines, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PodManagerException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = e is PodManagerException known ? known.Message : $"it took more than {LastLinesLimit.TotalSeconds:0} s";
            request.OnWarning?.Invoke($"The last log lines of pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} could not be kept in its result: {why}");
            return [];
        }
    }

    private static async Task<(string? Json, PodManagerException? Failure)> ReadXComAsync(PodRunRequest request, Func<Task<XComResult>> read)
    {
        try
        {
            var result = await read().ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                request.OnWarning?.Invoke(warning);
            }

            return (result.Json, null);
        }
        catch (PodManagerException e)
        {
            return (null, e);
        }
    }

    private static string? RunKeyOf(V1Pod pod) => pod.Metadata?.Labels?.TryGetValue(RunKey.Label, out var key) == true ? key : null;

    /// <summary>
    /// After the sidecar is stopped (or has stopped), the pod reaches its terminal phase within moments; report that
    /// state. A pod in which nothing runs any more (a sidecar that never started) is reported as it is.
    /// </summary>
    private async Task<V1Pod> SettleAsync(string ns, string name, V1Pod current, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(CleanupLimit, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await foreach (var pod in ObserveAsync(ns, name, linked.Token).ConfigureAwait(false))
            {
                if (pod is null)
                {
                    break;
                }

                current = pod;
                if (KPodConverter.ParsePhase(pod.Status?.Phase).IsTerminal() || !ContainerHelpers.AnyContainerRunning(pod))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }

        return current;
    }

    /// <summary>Success as the operator judges it: phase Succeeded, or the watched (base) container exited 0.</summary>
    public static bool IsSucceeded(V1Pod pod, string? container = null) =>
        KPodConverter.ParsePhase(pod.Status?.Phase) == PodPhase.Succeeded
        || ((container ?? ContainerHelpers.BaseContainerName(pod)) is { } watched && ContainerHelpers.ContainerIsSucceeded(pod, watched));
}
