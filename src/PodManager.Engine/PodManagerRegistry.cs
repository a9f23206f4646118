using System.Collections.Concurrent;
using PodManager.Engine.Connections;

namespace PodManager.Engine;

/// <summary>
/// The process-wide cache: one <see cref="PodManager"/> per connection, shared by every cmdlet, so
/// a pipeline's cmdlets share one client, one set of watches and one retry budget. It hands out
/// <see cref="IPodManager"/>, the engine without KubernetesClient types, which is all a cmdlet can use.
/// </summary>
public static class PodManagerRegistry
{
    private static readonly ConcurrentDictionary<string, Lazy<PodManager>> Managers = new(StringComparer.Ordinal);

    /// <summary>The environment variable that sets <see cref="PodManagerOptions.UnreachableTimeout"/> for engines made from then on.</summary>
    public const string UnreachableTimeoutVariable = "PODMANAGER_UNREACHABLE_TIMEOUT";

    public static PodManagerOptions Options { get; set; } = PodManagerOptions.Default;

    public static IPodManager Get(ConnectionSettings settings)
    {
        var resolved = ConnectionResolver.Resolve(settings);
        var options = EffectiveOptions();
        return Managers.GetOrAdd(resolved.Connection.Key, _ => new Lazy<PodManager>(() => PodManager.Create(resolved, options))).Value;
    }

    /// <summary><see cref="Options"/>, with what the environment sets: PowerShell users have no engine options object to hand.</summary>
    private static PodManagerOptions EffectiveOptions()
    {
        var text = Environment.GetEnvironmentVariable(UnreachableTimeoutVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Options;
        }

        if (!DurationText.TryParse(text, out var timeout) || timeout <= TimeSpan.Zero)
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"The environment variable {UnreachableTimeoutVariable} is '{text}', which is not a positive duration. Give {DurationText.Forms}, or remove it for the default ({PodManagerOptions.Default.UnreachableTimeout.TotalMinutes:0} minutes).")
            { IsFatal = true };
        }

        return Options with { UnreachableTimeout = timeout };
    }

    /// <summary>The engine a piped object came from; rebuilt from its kubeconfig and context if the cache no longer has it.</summary>
    public static IPodManager Get(KConnection connection)
    {
        if (Managers.TryGetValue(connection.Key, out var cached))
        {
            return cached.Value;
        }

        if (connection.KubeConfig is null && connection.Key != ConnectionResolver.InClusterKey)
        {
            throw new PodManagerException(ErrorIds.ConnectionNotAvailable,
                $"The connection to {connection} came from kubeconfig content that this session no longer holds. Run Connect-KCluster again, or pass -KubeConfig.");
        }

        return Get(new ConnectionSettings
        {
            KubeConfigPath = connection.KubeConfig?.Split(Path.PathSeparator)[0],
            Context = connection.Context,
            InCluster = connection.Key == ConnectionResolver.InClusterKey,
        });
    }
}
