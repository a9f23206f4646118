using System.Management.Automation;
using PodManager.Commands.Pipeline;
using PodManager.Engine;
using PodManager.Engine.Connections;

namespace PodManager.Commands;

/// <summary>
/// What every PodManager cmdlet shares on top of the pipeline bridge: the connection parameters, and the engine
/// (<see cref="IPodManager"/>) and namespace they, the session's connection (Connect-KCluster) or a piped object's
/// own connection point at.
/// </summary>
public abstract class PodManagerCmdlet : PipelineCmdlet
{
    private SessionConnection? session;
    private IPodManager? defaultManager;

    /// <summary>The kubeconfig file; otherwise the session's (Connect-KCluster), then KUBECONFIG, then ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>The kubeconfig context; otherwise the session's, then the kubeconfig's current-context.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContextCompleter))]
    public string? Context { get; set; }

    protected override void BeginProcessing()
    {
        // Read on the pipeline thread: the session connection belongs to this runspace.
        session = SessionConnection.Current;
    }

    /// <summary>The engine for an object's own connection, unless -KubeConfig or -Context override it.</summary>
    protected IPodManager ManagerFor(KConnection? connection) =>
        connection is not null && KubeConfig is null && Context is null
            ? PodManagerRegistry.Get(connection)
            : DefaultManager();

    /// <summary>The engine for -KubeConfig/-Context, else the session's connection, else KUBECONFIG or ~/.kube/config.</summary>
    protected IPodManager DefaultManager() => defaultManager ??= PodManagerRegistry.Get(ConnectionSettings());

    /// <summary>The namespace to use when none was given: the session's, else the connection's.</summary>
    protected string DefaultNamespace(IPodManager manager, string? requested) =>
        !string.IsNullOrEmpty(requested) ? requested
        : KubeConfig is null && Context is null && session?.Namespace is { } sessionNamespace ? sessionNamespace
        : manager.Connection.DefaultNamespace;

    private ConnectionSettings ConnectionSettings() =>
        KubeConfig is null && Context is null && session is not null
            ? session.Settings
            : new ConnectionSettings
            {
                KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
                Context = Context,
            };
}
