using System.Management.Automation;
using PodManager.Engine;
using PodManager.Engine.Connections;

namespace PodManager.Commands;

/// <summary>
/// Makes a cluster connection the session's default, after checking that it works. A runbook can pass
/// kubeconfig text straight from its secret store with -KubeConfigContent; it is never written to disk.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KCluster", DefaultParameterSetName = FileSet)]
[OutputType(typeof(KCluster))]
public sealed class ConnectKClusterCommand : PodManagerCmdlet
{
    private const string FileSet = "File";
    private const string ContentSet = "Content";
    private const string InClusterSet = "InCluster";

    /// <summary>Kubeconfig text (YAML), e.g. from a secret store; never written to disk.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContentSet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfigContent { get; set; }

    /// <summary>Use the service account of the pod this runs in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InClusterSet)]
    public SwitchParameter InCluster { get; set; }

    /// <summary>The namespace cmdlets use when not given -Namespace; by default the context's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void EndProcessing()
    {
        if ((KubeConfigContent is not null || InCluster) && KubeConfig is not null)
        {
            Report(new PodManagerException("InvalidParameterValue", PodManagerErrorCategory.InvalidArgument,
                $"-KubeConfig cannot be combined with {(InCluster ? "-InCluster" : "-KubeConfigContent")}. Give one source of connection.") { IsFatal = true }, KubeConfig);
            return;
        }

        var settings = new ConnectionSettings
        {
            KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
            KubeConfigContent = KubeConfigContent,
            Context = InCluster ? null : Context,
            InCluster = InCluster,
        };

        Run(KubeConfig ?? Context, async token =>
        {
            var manager = PodManagerRegistry.Get(settings);
            var version = await manager.GetServerVersionAsync(token).ConfigureAwait(false);
            var cluster = new KCluster
            {
                Context = manager.Connection.Context,
                Server = manager.Connection.Server,
                Namespace = Namespace ?? manager.Connection.DefaultNamespace,
                KubeConfig = manager.Connection.KubeConfig,
                InCluster = InCluster,
                ServerVersion = version,
                Connection = manager.Connection,
            };
            Post(() =>
            {
                SessionConnection.Set(new SessionConnection(settings, Namespace, cluster));
                WriteObject(cluster);
            });
        });
    }
}
