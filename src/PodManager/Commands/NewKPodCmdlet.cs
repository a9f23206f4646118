using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Creates a pod, from an image or a manifest, and outputs it as a <see cref="KPod"/>.</summary>
[Cmdlet(VerbsCommon.New, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet, HelpUri = HelpLinks.Base + "New-KPod.md")]
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
            // A reattach is said by the engine, on -Verbose, as it happens.
            var created = await manager.CreateOrReattachAsync(pod, RunKey, XCom, token, sidecar).ConfigureAwait(false);
            await EmitAsync(created.Pod, token).ConfigureAwait(false);
        });
    }
}
