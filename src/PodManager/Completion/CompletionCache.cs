using System.Collections.Concurrent;
using System.Globalization;

namespace PodManager.Commands.Completion;

/// <summary>
/// Completion answers from the cluster, cached for a few seconds and bounded to two seconds per lookup (or the
/// seconds in PODMANAGER_COMPLETION_TIMEOUT, for a slow link to the cluster), so pressing Tab never hangs a shell
/// on a slow cluster and never throws.
/// </summary>
internal static class CompletionCache
{
    private const string BudgetVariable = "PODMANAGER_COMPLETION_TIMEOUT";

    private static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(2);

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
            var limit = Budget();
            using var budget = new CancellationTokenSource(limit);
            var task = Task.Run(() => lookup(budget.Token), budget.Token);
            if (!task.Wait(limit) || !task.IsCompletedSuccessfully)
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

    private static TimeSpan Budget() =>
        double.TryParse(Environment.GetEnvironmentVariable(BudgetVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= int.MaxValue / 1000
            ? TimeSpan.FromSeconds(seconds)
            : DefaultBudget;
}
