using System.Management.Automation;
using PodManager.Commands.Parameters;
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
    private SessionConnection? otherRunspace;
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
        otherRunspace = session is null ? SessionConnection.OfAnotherRunspace : null;
    }

    /// <summary>The engine for an object's own connection, unless -KubeConfig or -Context override it.</summary>
    protected IPodManager ManagerFor(KConnection? connection) =>
        connection is not null && KubeConfig is null && Context is null
            ? PodManagerRegistry.Get(connection)
            : DefaultManager();

    /// <summary>The engine for -KubeConfig/-Context, else the session's connection, else KUBECONFIG or ~/.kube/config.</summary>
    protected IPodManager DefaultManager() => defaultManager ??= Connect();

    /// <summary>The namespace to use when none was given: the session's, else the connection's.</summary>
    protected string DefaultNamespace(IPodManager manager, string? requested) =>
        !string.IsNullOrEmpty(requested) ? requested
        : KubeConfig is null && Context is null && session?.Namespace is { } sessionNamespace ? sessionNamespace
        : manager.Connection.DefaultNamespace;

    /// <summary>
    /// The engine of <see cref="ConnectionSettings"/>. A runspace without a connection of its own, in a process where
    /// another runspace has one (a thread job, ForEach-Object -Parallel), falls back like any other, but says so: the
    /// user most likely expected the session's connection to come along.
    /// </summary>
    private IPodManager Connect()
    {
        var fallingBack = KubeConfig is null && Context is null && session is null ? otherRunspace : null;
        IPodManager manager;
        try
        {
            manager = PodManagerRegistry.Get(ConnectionSettings());
        }
        catch (PodManagerException error) when (fallingBack is not null && error.ErrorId == ErrorIds.KubeConfigNotFound.Name)
        {
            throw new PodManagerException(ErrorIds.ConnectionNotInherited,
                $"This runspace has no connection. Connect-KCluster connected another runspace of this process ({fallingBack.Cluster.Connection}), but a thread job (Start-ThreadJob), ForEach-Object -Parallel or a new runspace does not inherit it, and there is no kubeconfig to fall back on: {error.Message} "
                + "Connect inside the job (Connect-KCluster -KubeConfigContent $using:kubeconfig, or -KubeConfig <file>), or pass -KubeConfig to the cmdlet.", error)
                { IsFatal = true };
        }

        if (fallingBack is not null && fallingBack.Cluster.Connection.Key != manager.Connection.Key)
        {
            EmitWarning($"This runspace has no connection of its own, so {MyInvocation.MyCommand.Name} uses {manager.Connection} from KUBECONFIG or ~/.kube/config. Connect-KCluster connected another runspace of this process ({fallingBack.Cluster.Connection}), but a thread job (Start-ThreadJob), ForEach-Object -Parallel or a new runspace does not inherit it: run Connect-KCluster inside it, or pass -KubeConfig and -Context.");
        }

        return manager;
    }

    private ConnectionSettings ConnectionSettings()
    {
        if (KubeConfig is null && Context is null && session is not null)
        {
            return session.Settings;
        }

        if (KubeConfig is not null && KubeConfigInput.TextForPath(KubeConfig) is { } text)
        {
            throw text;
        }

        return new ConnectionSettings
        {
            KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
            Context = Context,
        };
    }
}
