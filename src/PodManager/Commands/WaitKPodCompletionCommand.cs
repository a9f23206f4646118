using System.Management.Automation;
using PodManager.Engine;
using PodManager.Engine.Logs;
using PodManager.Engine.Running;

namespace PodManager.Commands;

/// <summary>
/// Waits, on the namespace's shared watch, until a pod has finished (or its base container has, when the
/// pod has sidecars), and outputs its final state; a failed pod is then reported as a PodFailed error.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KPodCompletion", DefaultParameterSetName = PodSet)]
[OutputType(typeof(KPod))]
public sealed class WaitKPodCompletionCommand : PodTargetCmdlet
{
    /// <summary>Give up after this long (seconds, 5m, 00:05:00); by default wait as long as the pod runs.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Wait for this container to end instead of the whole pod (e.g. a base container beside a sidecar).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? Container { get; set; }

    /// <summary>Stream the container's log to the Information stream (6) while waiting, each line once.</summary>
    [Parameter]
    public SwitchParameter ShowLogs { get; set; }

    protected override void ProcessRecord()
    {
        if (Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait as long as the pod runs.") is { } invalid)
        {
            Report(invalid, Target);
            return;
        }

        foreach (var pod in Targets())
        {
            Run(pod.ErrorTarget, token => WaitAsync(pod, token));
        }
    }

    private async Task WaitAsync(PodTarget target, CancellationToken token)
    {
        var progress = new PodProgress("Waiting for the completion of pod", target.Text);
        try
        {
            var (manager, ns, name) = target.Resolve();
            var report = new SyncProgress<KPod>(pod => Post(() => WriteProgress(progress.Update(pod))));
            using var stopLogs = CancellationTokenSource.CreateLinkedTokenSource(token);
            var logs = ShowLogs ? Task.Run(() => StreamLogsAsync(manager, ns, name, stopLogs.Token), CancellationToken.None) : Task.CompletedTask;
            PodCompletion done;
            try
            {
                done = await manager.WaitForCompletionAsync(ns, name, Timeout, Container, report, token).ConfigureAwait(false);
                await logs.ConfigureAwait(false);
            }
            finally
            {
                await stopLogs.CancelAsync().ConfigureAwait(false);
                await logs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await EmitAsync(done.Pod, token).ConfigureAwait(false);
            if (done.Failure is { } failure)
            {
                EmitError(failure, done.Pod);
            }
        }
        finally
        {
            Post(() => WriteProgress(progress.Completed()));
        }
    }

    private async Task StreamLogsAsync(Engine.PodManager manager, string ns, string name, CancellationToken token)
    {
        await foreach (var line in manager.ReadPodLogsAsync(ns, name, new LogRequest { Container = Container, Follow = true }, token).ConfigureAwait(false))
        {
            Post(() => WriteInformation(line, ["PodManager", "Log"]));
        }
    }
}
