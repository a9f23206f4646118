using System.Collections.Concurrent;

namespace PodManager.Commands.Completion;

/// <summary>
/// Completion answers from the cluster, cached for a few seconds and bounded to two seconds per lookup,
/// so pressing Tab never hangs a shell on a slow cluster and never throws.
/// </summary>
internal static class CompletionCache
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Values)> Entries = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Get(string key, Func<CancellationToken, Task<IReadOnlyList<string>>> lookup)
    {
        if (Entries.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < Lifetime)
        {
            return cached.Values;
        }

        try
        {
            using var budget = new CancellationTokenSource(Budget);
            var task = Task.Run(() => lookup(budget.Token), budget.Token);
            if (!task.Wait(Budget) || !task.IsCompletedSuccessfully)
            {
                return [];
            }

            Entries[key] = (DateTimeOffset.UtcNow, task.Result);
            return task.Result;
        }
        catch (Exception)
        {
            // A completer must never throw: no suggestions is the answer to any failure.
            return [];
        }
    }
}
