using System.Management.Automation;
using PodManager.Engine.XCom;

namespace PodManager.Commands;

/// <summary>Creates a pod, from an image or a manifest, and outputs it as a <see cref="KPod"/>.</summary>
[Cmdlet(VerbsCommon.New, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet)]
[OutputType(typeof(KPod))]
public sealed class NewKPodCommand : PodCreationCmdlet
{
    protected override void ProcessRecord()
    {
        k8s.Models.V1Pod pod;
        try
        {
            pod = BuildPod();
        }
        catch (PodManagerException error)
        {
            Report(error, Name ?? Image);
            return;
        }

        if (!ShouldProcess(Description, "Create"))
        {
            return;
        }

        Run(Name ?? Image, async token =>
        {
            var manager = DefaultManager();
            pod.Metadata.NamespaceProperty = DefaultNamespace(manager, pod.Metadata.NamespaceProperty);
            var request = XCom ? XComSidecar.Add(pod, manager.Options.XComSidecarImage) : pod;
            var run = await manager.GetOrCreatePodAsync(request, RunKey, OnFinishAction.DeletePod, token).ConfigureAwait(false);
            if (run.Reattached)
            {
                EmitVerbose($"Reattached to pod {run.Pod.Metadata.NamespaceProperty}/{run.Pod.Metadata.Name} of run key '{RunKey}' instead of creating another.");
            }

            Emit(manager.ToKPod(run.Pod));
        });
    }
}
