using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>Deletes pods, or applies a finish action to them; a pod that is already gone is not an error.</summary>
[Cmdlet(VerbsCommon.Remove, "KPod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Remove-KPod.md")]
[OutputType(typeof(void))]
public sealed class RemoveKPodCmdlet : PodTargetCmdlet
{
    private const string OrphanedSet = "Orphaned";

    /// <summary>The namespace; otherwise the session's, else the context's. With -Orphaned, the namespace searched.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = OrphanedSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public override string? Namespace { get => base.Namespace; set => base.Namespace = value; }

    /// <summary>
    /// Find and delete the pods PodManager made whose runner is gone: made by a process of this host that no longer
    /// runs, or, made elsewhere, older than -OlderThan. Pods kept with -OnFinishAction KeepPod are left alone.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = OrphanedSet)]
    public SwitchParameter Orphaned { get; set; }

    /// <summary>
    /// With -Orphaned: the age from which a pod whose runner cannot be checked from here (another host) counts as
    /// abandoned, 1 hour by default; given, pods of this host's dead runners must be that old too.
    /// </summary>
    [Parameter(ParameterSetName = OrphanedSet)]
    [TimeSpanTransformation]
    public TimeSpan? OlderThan { get; set; }

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

        if (Orphaned)
        {
            RemoveOrphans();
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

    private void RemoveOrphans()
    {
        if (Rejects(Validation.NonPositiveDuration(OlderThan, nameof(OlderThan), "Leave it out for 1 hour.")))
        {
            return;
        }

        var manager = DefaultManager();
        var ns = DefaultNamespace(manager, Namespace);
        IReadOnlyList<Engine.Orphans.OrphanedPod> orphans = [];
        Run(ns, async token => orphans = await manager.FindOrphanedPodsAsync(ns, OlderThan ?? TimeSpan.FromHours(1), OlderThan is not null, token).ConfigureAwait(false));
        var grace = GracePeriod ?? (Force ? 0 : null);
        foreach (var orphan in orphans)
        {
            if (ShouldProcess($"{orphan.Pod.Namespace}/{orphan.Pod.Name} ({orphan.Reason})", "Remove orphaned pod"))
            {
                Run(orphan.Pod, async token =>
                {
                    var deleted = await manager.DeletePodAsync(orphan.Pod.Namespace, orphan.Pod.Name, grace, Wait, Timeout, token).ConfigureAwait(false);
                    EmitVerbose(deleted ? $"Deleted orphaned pod {orphan.Pod.Namespace}/{orphan.Pod.Name}: {orphan.Reason}." : $"Orphaned pod {orphan.Pod.Namespace}/{orphan.Pod.Name} was already gone.");
                });
            }
        }
    }
}
