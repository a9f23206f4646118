using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>
/// A cmdlet that acts on existing pods (<see cref="PodReferenceCmdlet"/>) and takes the piped <see cref="KPod"/>
/// as -InputObject, as PowerShell's own cmdlets name what they act on.
/// </summary>
public abstract class PodTargetCmdlet : PodReferenceCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public KPod? InputObject { get; set; }

    protected override KPod? PipedPod => InputObject;
}
