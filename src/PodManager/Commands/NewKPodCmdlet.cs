using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Creates a pod, from an image or a manifest, and outputs it as a <see cref="KPod"/>.</summary>
[Cmdlet(VerbsCommon.New, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet)]
[OutputType(typeof(KPod))]
public sealed class NewKPodCmdlet : PodCreationCmdlet
{
    protected override void ProcessRecord()
    {
        if (!TryBuildPod(out var pod, out var sidecar))
        {
            return;
        }

        var ns = NamespaceFor(pod);
        if (ns is null || !ShouldProcess(Describe(pod, ns), "Create"))
        {
            return;
        }

        Run(Target, async token =>
        {
            var manager = DefaultManager();
            pod.Namespace = ns;
            var created = await manager.CreateOrReattachAsync(pod, RunKey, XCom, token, sidecar).ConfigureAwait(false);
            if (created.Reattached)
            {
                EmitVerbose($"Reattached to pod {created.Pod.Namespace}/{created.Pod.Name} of run key '{RunKey}' instead of creating another.");
            }

            await EmitAsync(created.Pod, token).ConfigureAwait(false);
        });
    }
}
