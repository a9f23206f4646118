using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine;
using PodManager.Engine.Connections;

namespace PodManager.Commands;

/// <summary>
/// Makes a cluster connection the session's default, after checking that it works. A runbook can pass
/// kubeconfig text straight from its secret store with -KubeConfigContent; it is never written to disk.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KCluster", DefaultParameterSetName = FileSet, HelpUri = HelpLinks.Base + "Connect-KCluster.md")]
[OutputType(typeof(KCluster))]
public sealed class ConnectKClusterCmdlet : PodManagerCmdlet
{
    private const string FileSet = "File";
    private const string ContentSet = "Content";
    private const string InClusterSet = "InCluster";
    private const string TokenSet = "Token";

    /// <summary>
    /// Kubeconfig text (YAML), e.g. from a secret store; never written to disk. An array, so that the lines of Get-Content
    /// without -Raw arrive as they are and can be refused as such, instead of joined into one line by PowerShell.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ContentSet)]
    [ValidateNotNullOrEmpty]
    public string[]? KubeConfigContent { get; set; }

    /// <summary>Use the service account of the pod this runs in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InClusterSet)]
    public SwitchParameter InCluster { get; set; }

    /// <summary>The API server's URL (https://host:port), with -Token: a connection without any kubeconfig.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    /// <summary>The bearer token for -Server, e.g. from a vault; it is kept in memory only and never shown.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public System.Security.SecureString? Token { get; set; }

    /// <summary>The CA certificate that signed -Server's certificate: a PEM file's path or the PEM text; by default the system's trusted CAs.</summary>
    [Parameter(ParameterSetName = TokenSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthority { get; set; }

    /// <summary>The namespace cmdlets use when not given -Namespace; by default the context's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void EndProcessing()
    {
        var source = InCluster ? "-InCluster" : Server is not null ? "-Server" : "-KubeConfigContent";
        var conflict = (KubeConfigContent is not null || InCluster || Server is not null) && KubeConfig is not null ? "-KubeConfig"
            : (InCluster || Server is not null) && Context is not null ? "-Context"
            : null;
        if (conflict is not null)
        {
            Report(new PodManagerException(ErrorIds.InvalidParameterValue,
                $"{conflict} cannot be combined with {source}: give one source of connection.") { IsFatal = true }, KubeConfig ?? Context);
            return;
        }

        var wrongWayRound = (KubeConfig is null ? null : KubeConfigInput.TextForPath(KubeConfig))
            ?? (KubeConfigContent is null ? null : KubeConfigInput.NotText(KubeConfigContent, ResolvePath));
        if (wrongWayRound is not null)
        {
            Report(wrongWayRound, KubeConfigContent is null ? "-KubeConfig" : "-KubeConfigContent");
            return;
        }

        var certificateAuthority = CertificateAuthority is null || CertificateAuthority.Contains("-----BEGIN", StringComparison.Ordinal)
            ? CertificateAuthority
            : GetUnresolvedProviderPathFromPSPath(CertificateAuthority);

        var settings = new ConnectionSettings
        {
            KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
            KubeConfigContent = KubeConfigContent?[0],
            Context = InCluster ? null : Context,
            InCluster = InCluster,
            Server = Server,
            Token = Token is null ? null : new System.Net.NetworkCredential(string.Empty, Token).Password,
            CertificateAuthority = certificateAuthority,
        };

        Run(KubeConfig ?? Context ?? Server, async token =>
        {
            string version;
            IPodManager manager;
            try
            {
                manager = PodManagerRegistry.Get(settings);
                version = await manager.GetServerVersionAsync(token).ConfigureAwait(false);
            }
            catch (PodManagerException error) when (!error.IsFatal)
            {
                // Connecting is one act: whatever stops it stops the command, so a runbook never goes on unconnected.
                throw new PodManagerException(ErrorIds.Of(error.ErrorId), error.Message, error) { StatusCode = error.StatusCode, IsFatal = true };
            }

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

    private string? ResolvePath(string path)
    {
        try
        {
            return GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException or ArgumentException or PSInvalidOperationException)
        {
            return null;
        }
    }
}
