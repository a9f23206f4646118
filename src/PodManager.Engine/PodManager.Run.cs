using k8s.Models;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(30);

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
        var deleted = false;
        try
        {
            var wait = new CompletionWait
            {
                Timeout = request.Timeout,
                ScheduleTimeout = request.ScheduleTimeout,
                Progress = progress,
                OnLogLine = request.OnLogLine,
                OnWarning = request.OnWarning,
            };
            if (!IsComplete(run.Pod))
            {
                await AwaitPodStartAsync(ns, name, request.ScheduleTimeout, request.StartupTimeout, cancellationToken, progress, known: run.Pod).ConfigureAwait(false);
                final = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
            }
            else if (request.OnLogLine is not null)
            {
                // A pod that had already completed when the run found it (adopted after the create's answer was lost, or
                // reattached by its run key) still has its log shown, as asked, instead of none without a word.
                final = await AwaitCompletionAsync(ns, name, wait, cancellationToken).ConfigureAwait(false);
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
        }
        catch (PodManagerException e)
        {
            // Whatever went wrong after the pod existed, the caller still gets its result (and the pod is cleaned up);
            // an unreachable cluster has no fresher state to give.
            failure = e;
            if (e.ErrorId != ErrorIds.ClusterUnreachable.Name)
            {
                final = await TryReadPodAsync(ns, name, CancellationToken.None).ConfigureAwait(false) ?? final;
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
        };
        return new PodRunOutcome(result, failure);
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
