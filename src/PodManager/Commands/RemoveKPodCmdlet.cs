using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>Deletes pods, or applies a finish action to them; a pod that is already gone is not an error.</summary>
[Cmdlet(VerbsCommon.Remove, "KPod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Remove-KPod.md")]
[OutputType(typeof(void))]
public sealed class RemoveKPodCmdlet : PodTargetCmdlet
{
    /// <summary>Seconds the containers get between SIGTERM and SIGKILL; by default the pod's own terminationGracePeriodSeconds.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? GracePeriod { get; set; }

    /// <summary>Return only once the pod is gone from the API server.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, give up (PodDeleteTimeout) when the pod is still there after this long; by default wait as long as it takes.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Delete only when the action says so, judged on a fresh read of the pod (KeepPod, DeletePod, DeleteSucceededPod, DeleteActivePod).</summary>
    [Parameter]
    public OnFinishAction? OnFinishAction { get; set; }

    /// <summary>Delete at once, without a grace period, as kubectl delete --force --grace-period=0.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (Rejects(Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait as long as the deletion takes.")))
        {
            return;
        }

        var action = OnFinishAction is { } finish ? $"Apply finish action {finish}" : Force ? "Remove pod immediately" : "Remove pod";
        var grace = GracePeriod ?? (Force ? 0 : null);
        ForEachTarget(async (pod, token) =>
        {
            var (manager, ns, name) = pod.Resolve();
            var deleted = OnFinishAction is { } finishAction
                ? await manager.ApplyFinishActionAsync(ns, name, finishAction, grace, Wait, token, Timeout).ConfigureAwait(false)
                : await manager.DeletePodAsync(ns, name, grace, Wait, Timeout, token).ConfigureAwait(false);
            EmitVerbose(deleted ? $"Deleted pod {ns}/{name}." : $"Pod {ns}/{name} was left alone or already gone.");
        }, action);
    }
}
