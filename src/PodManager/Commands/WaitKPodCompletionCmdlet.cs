using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Running;

namespace PodManager.Commands;

/// <summary>
/// Waits, on the namespace's shared watch, until a pod has finished (or its base container has, when the
/// pod has sidecars), and outputs its final state; a failed pod is then reported as a PodFailed error, and one
/// that no node takes within -ScheduleTimeout as PodLaunchTimeout.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KPodCompletion", DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Wait-KPodCompletion.md")]
[OutputType(typeof(KPod))]
public sealed class WaitKPodCompletionCmdlet : PodTargetCmdlet
{
    /// <summary>Give up after this long (seconds, 5m, 00:05:00); by default wait as long as the pod runs.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>How long the pod may wait for a node; 120 s by default, as Wait-KPodStart.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? ScheduleTimeout { get; set; }

    /// <summary>Wait for this container to end instead of the whole pod (e.g. a base container beside a sidecar).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? Container { get; set; }

    /// <summary>Show the container's log while waiting, each line once: in the console and the Information stream (6) by default.</summary>
    [Parameter]
    public SwitchParameter ShowLogs { get; set; }

    /// <summary>With -ShowLogs: Information (the default), Verbose or Output, for hosts that drop the Information stream.</summary>
    [Parameter]
    public LogStream LogStream { get; set; } = LogStream.Information;

    protected override void ProcessRecord()
    {
        var invalid = Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait as long as the pod runs.")
            ?? Validation.NegativeDuration(ScheduleTimeout, nameof(ScheduleTimeout));
        if (!Rejects(invalid))
        {
            ForEachTarget(WaitAsync);
        }
    }

    private Task WaitAsync(PodTarget target, CancellationToken token) =>
        WithProgressAsync("Waiting for the completion of pod", target.Text, async progress =>
        {
            var (manager, ns, name) = target.Resolve();
            var wait = new CompletionWait
            {
                Timeout = Timeout,
                ScheduleTimeout = ScheduleTimeout,
                Container = Container,
                Progress = progress,
                OnLogLine = ShowLogs ? line => EmitLogLine(line, LogStream) : null,
                OnWarning = EmitWarning,
            };
            var done = await manager.WaitForCompletionAsync(ns, name, wait, token).ConfigureAwait(false);
            await EmitAsync(done.Pod, token).ConfigureAwait(false);
            if (done.Failure is { } failure)
            {
                EmitError(failure, done.Pod);
            }
        });
}
