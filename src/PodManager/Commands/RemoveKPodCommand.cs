using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Deletes pods; a pod that is already gone is not an error.</summary>
[Cmdlet(VerbsCommon.Remove, "KPod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PodSet)]
[OutputType(typeof(void))]
public sealed class RemoveKPodCommand : PodTargetCmdlet
{
    /// <summary>Seconds the containers get between SIGTERM and SIGKILL; by default the pod's own terminationGracePeriodSeconds.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? GracePeriod { get; set; }

    /// <summary>Return only once the pod is gone from the API server.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(TargetText, "Remove pod"))
        {
            return;
        }

        Run(Target, async token =>
        {
            var (manager, ns, name) = ResolveTarget();
            var deleted = await manager.DeletePodAsync(ns, name, GracePeriod, Wait, timeout: null, token).ConfigureAwait(false);
            EmitVerbose(deleted ? $"Deleted pod {ns}/{name}." : $"Pod {ns}/{name} was already gone.");
        });
    }
}
