using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Forgets the session's default connection (Connect-KCluster); cmdlets go back to KUBECONFIG and ~/.kube/config.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "KCluster", HelpUri = HelpLinks.Base + "Disconnect-KCluster.md")]
[OutputType(typeof(void))]
public sealed class DisconnectKClusterCmdlet : PSCmdlet
{
    protected override void EndProcessing()
    {
        if (SessionConnection.Current is { } current)
        {
            WriteVerbose($"Forgetting the session connection to {current.Cluster}.");
        }

        SessionConnection.Clear();
    }
}
