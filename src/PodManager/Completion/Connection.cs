using System.Collections;
using PodManager.Engine.Connections;

namespace PodManager.Commands.Completion;

/// <summary>The connection the command line being completed points at: its -KubeConfig and -Context, else the session's.</summary>
internal static class Connection
{
    public static ConnectionSettings From(IDictionary fakeBoundParameters)
    {
        var kubeConfig = CompletionResults.Bound(fakeBoundParameters, "KubeConfig");
        var context = CompletionResults.Bound(fakeBoundParameters, "Context");
        return kubeConfig is null && context is null && SessionConnection.Current is { } session
            ? session.Settings
            : new ConnectionSettings { KubeConfigPath = kubeConfig is null ? null : Path.GetFullPath(kubeConfig), Context = context };
    }
}
