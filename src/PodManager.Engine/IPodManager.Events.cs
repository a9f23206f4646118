namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>The pod's events, oldest first (the seed's read_pod_events).</summary>
    Task<IReadOnlyList<KPodEvent>> ReadPodEventsAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>The pod's events as they happen, each (or each repeat) once, until cancelled (the seed's watch_pod_events).</summary>
    IAsyncEnumerable<KPodEvent> WatchPodEventsAsync(string ns, string name, CancellationToken cancellationToken);
}
