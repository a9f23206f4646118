using System.Management.Automation;
using PodManager.Engine.Logs;

namespace PodManager.Commands;

/// <summary>Outputs a container's log as <see cref="KPodLogLine"/> objects; -Follow streams until the container ends.</summary>
[Cmdlet(VerbsCommon.Get, "KPodLog", DefaultParameterSetName = PodSet)]
[OutputType(typeof(KPodLogLine))]
public sealed class GetKPodLogCommand : PodTargetCmdlet
{
    /// <summary>The container; by default the pod's <c>base</c> container, else its first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    [Parameter]
    public SwitchParameter Follow { get; set; }

    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    protected override void ProcessRecord()
    {
        var request = new LogRequest { Container = Container, Follow = Follow, Timestamps = Timestamps };
        Run(Target, async token =>
        {
            var (manager, ns, name) = ResolveTarget();
            await foreach (var line in manager.ReadPodLogsAsync(ns, name, request, token).ConfigureAwait(false))
            {
                Emit(line);
            }
        });
    }
}
