using System.Collections;
using PodManager.Engine;
using PodManager.Engine.Connections;

namespace PodManager.Commands.Completion;

/// <summary>
/// Completion values read from the cluster the command line being completed points at (its -KubeConfig and
/// -Context, else the session's connection), through <see cref="CompletionCache"/>: cached, bounded in time, never throwing.
/// </summary>
internal static class ClusterLookup
{
    /// <param name="what">What is looked up, with whatever else the answer depends on (the namespace, the pod): part of the cache key.</param>
    public static IReadOnlyList<string> Get(IDictionary fakeBoundParameters, string what, Func<IPodManager, CancellationToken, Task<IReadOnlyList<string>>> lookup)
    {
        var settings = Settings(fakeBoundParameters);
        return CompletionCache.Get($"{what}|{settings.KubeConfigPath}|{settings.Context}", token => lookup(PodManagerRegistry.Get(settings), token));
    }

    private static ConnectionSettings Settings(IDictionary fakeBoundParameters)
    {
        var kubeConfig = CompletionResults.Bound(fakeBoundParameters, "KubeConfig");
        var context = CompletionResults.Bound(fakeBoundParameters, "Context");
        return kubeConfig is null && context is null && SessionConnection.Current is { } session
            ? session.Settings
            : new ConnectionSettings { KubeConfigPath = kubeConfig is null ? null : Path.GetFullPath(kubeConfig), Context = context };
    }
}
