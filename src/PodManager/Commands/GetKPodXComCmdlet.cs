using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>
/// Outputs a pod's result, parsed like ConvertFrom-Json, once its base container has finished: read from the
/// XCom sidecar (which is then stopped, so the pod completes), or with -FromTerminationMessage from the base
/// container's termination message. An empty result outputs nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KPodXCom", DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Get-KPodXCom.md")]
[OutputType(typeof(PSObject), typeof(System.Collections.Hashtable), typeof(string))]
public sealed class GetKPodXComCmdlet : PodTargetCmdlet
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

    /// <summary>How long to wait for the base container to finish; by default as long as it runs.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    protected override void ProcessRecord()
    {
        if (!Rejects(Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait as long as the base container runs.")))
        {
            ForEachTarget(ReadAsync);
        }
    }

    private async Task ReadAsync(PodTarget pod, CancellationToken token)
    {
        var (manager, ns, name) = pod.Resolve();
        var result = await manager.ReadResultAsync(ns, name, FromTerminationMessage, Timeout, token).ConfigureAwait(false);
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
    }
}
