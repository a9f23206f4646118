using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Outputs a pod's events as <see cref="KPodEvent"/> objects; -Watch keeps streaming new ones, each once, until Ctrl+C.</summary>
[Cmdlet(VerbsCommon.Get, "KPodEvent", DefaultParameterSetName = PodSet)]
[OutputType(typeof(KPodEvent))]
public sealed class GetKPodEventCommand : PodTargetCmdlet
{
    [Parameter]
    [Alias("w")]
    public SwitchParameter Watch { get; set; }

    /// <summary>Only events of this type.</summary>
    [Parameter]
    [ValidateSet("Normal", "Warning")]
    public string? Type { get; set; }

    private void EmitIfWanted(KPodEvent e)
    {
        if (Type is null || string.Equals(e.Type, Type, StringComparison.OrdinalIgnoreCase))
        {
            Emit(e);
        }
    }

    protected override void ProcessRecord()
    {
        Run(Target, async token =>
        {
            var (manager, ns, name) = ResolveTarget();
            if (!Watch)
            {
                var events = await manager.ReadPodEventsAsync(ns, name, token).ConfigureAwait(false);
                if (events.Count == 0)
                {
                    // The events of a deleted pod outlive it, so only a pod without any is unknown; GetPodAsync says so.
                    await manager.GetPodAsync(ns, name, token).ConfigureAwait(false);
                }

                foreach (var e in events)
                {
                    EmitIfWanted(e);
                }

                return;
            }

            await foreach (var e in manager.WatchPodEventsAsync(ns, name, token).ConfigureAwait(false))
            {
                EmitIfWanted(e);
            }
        });
    }
}
