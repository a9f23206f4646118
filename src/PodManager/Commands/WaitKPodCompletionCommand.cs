using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Waits, on the namespace's shared watch, until a pod has finished, and outputs its final state.</summary>
[Cmdlet(VerbsLifecycle.Wait, "KPodCompletion", DefaultParameterSetName = PodSet)]
[OutputType(typeof(KPod))]
public sealed class WaitKPodCompletionCommand : PodTargetCmdlet
{
    /// <summary>Give up after this long; by default wait as long as the pod runs.</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

    protected override void ProcessRecord()
    {
        if (Timeout is { } limit && limit <= TimeSpan.Zero)
        {
            Report(new PodManagerException("InvalidParameterValue", PodManagerErrorCategory.InvalidArgument,
                $"-Timeout must be positive, not {limit}. Leave it out to wait as long as the pod runs."), Target);
            return;
        }

        Run(Target, async token =>
        {
            var (manager, ns, name) = ResolveTarget();
            var pod = await manager.AwaitPodCompletionAsync(ns, name, Timeout, token).ConfigureAwait(false);
            Emit(manager.ToKPod(pod));
        });
    }
}
