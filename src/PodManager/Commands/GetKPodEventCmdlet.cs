using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Outputs a pod's events as <see cref="KPodEvent"/> objects; -Watch keeps streaming new ones, each once, until Ctrl+C.</summary>
[Cmdlet(VerbsCommon.Get, "KPodEvent", DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Get-KPodEvent.md")]
[OutputType(typeof(KPodEvent))]
public sealed class GetKPodEventCmdlet : PodTargetCmdlet
{
    [Parameter]
    [Alias("w")]
    public SwitchParameter Watch { get; set; }

    /// <summary>Only events of this type.</summary>
    [Parameter]
    [ValidateSet("Normal", "Warning")]
    public string? Type { get; set; }

    private async ValueTask EmitIfWantedAsync(KPodEvent e, CancellationToken token)
    {
        if (Type is null || string.Equals(e.Type, Type, StringComparison.OrdinalIgnoreCase))
        {
            await EmitAsync(e, token).ConfigureAwait(false);
        }
    }

    protected override void ProcessRecord() => ForEachTarget(EmitEventsAsync);

    private async Task EmitEventsAsync(PodTarget pod, CancellationToken token)
    {
        var (manager, ns, name) = pod.Resolve();
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
                await EmitIfWantedAsync(e, token).ConfigureAwait(false);
            }

            return;
        }

        await foreach (var e in manager.WatchPodEventsAsync(ns, name, token).ConfigureAwait(false))
        {
            await EmitIfWantedAsync(e, token).ConfigureAwait(false);
        }
    }
}
