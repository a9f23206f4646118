using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>
/// Waits until a pod leaves Pending (Airflow's await_pod_start), on the shared watch. A pod that can never
/// start fails at once with PodLaunchFailed; one that is not scheduled or started in time with PodLaunchTimeout.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KPodStart", DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Wait-KPodStart.md")]
[OutputType(typeof(KPod))]
public sealed class WaitKPodStartCmdlet : PodTargetCmdlet
{
    /// <summary>How long the pod may wait for a node; 120 s by default, as the Airflow operator.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? ScheduleTimeout { get; set; }

    /// <summary>How long a scheduled pod may take to start its containers; 120 s by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? StartupTimeout { get; set; }

    protected override void ProcessRecord()
    {
        if (!Rejects(Validation.NegativeDuration(ScheduleTimeout, nameof(ScheduleTimeout)) ?? Validation.NegativeDuration(StartupTimeout, nameof(StartupTimeout))))
        {
            ForEachTarget(WaitAsync);
        }
    }

    private Task WaitAsync(PodTarget target, CancellationToken token) =>
        WithProgressAsync("Waiting for the start of pod", target.Text, async progress =>
        {
            var (manager, ns, name) = target.Resolve();
            var started = await manager.WaitForStartAsync(ns, name, ScheduleTimeout, StartupTimeout, progress, token).ConfigureAwait(false);
            await EmitAsync(started, token).ConfigureAwait(false);
        });
}
