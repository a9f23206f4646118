using System.Collections.Concurrent;

namespace PodManager.TestCluster.Faults;

/// <summary>Counts API requests by verb and resource, e.g. <c>create pods</c> or <c>get pods/log</c>.</summary>
internal sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public void Count(string key) => counts.AddOrUpdate(key, 1, (_, count) => count + 1);

    public SortedDictionary<string, long> Snapshot() => new(counts.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    public void Reset() => counts.Clear();
}
