using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>
/// Outputs a pod's result, parsed like ConvertFrom-Json: read from the XCom sidecar (which is then stopped,
/// so the pod completes), or with -FromTerminationMessage from the base container's termination message.
/// An empty result outputs nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KPodXCom", DefaultParameterSetName = PodSet)]
[OutputType(typeof(PSObject), typeof(System.Collections.Hashtable), typeof(string))]
public sealed class GetKPodXComCommand : PodTargetCmdlet
{
    /// <summary>Output the JSON text as the pod wrote it.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Objects become hashtables, as ConvertFrom-Json -AsHashtable.</summary>
    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    /// <summary>Read the result from the base container's termination message instead of a sidecar.</summary>
    [Parameter]
    public SwitchParameter FromTerminationMessage { get; set; }

    protected override void ProcessRecord()
    {
        Run(Target, async token =>
        {
            var (manager, ns, name) = ResolveTarget();
            var result = FromTerminationMessage
                ? await manager.ReadXComFromTerminationMessageAsync(ns, name, token).ConfigureAwait(false)
                : await manager.ExtractXComAsync(ns, name, token).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                EmitWarning(warning);
            }

            if (result.Json is not { } json)
            {
                EmitVerbose($"Pod {ns}/{name} returned an empty result.");
                return;
            }

            Post(() => WriteObject(Raw ? json : JsonConversion.FromJson(this, json, AsHashtable)));
        });
    }
}
