using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>
/// The pod that New-KPod or Invoke-KPod would send for the same parameters (kubectl's --dry-run=client -o yaml), as a
/// <see cref="KPodManifest"/> that New-KPod -Manifest takes back; with -Validate, the API server's answer to a dry run
/// of its create (kubectl's --dry-run=server), or the create's own error.
/// </summary>
[Cmdlet(VerbsCommon.New, "KPodManifest", DefaultParameterSetName = ImageSet, HelpUri = HelpLinks.Base + "New-KPodManifest.md")]
[OutputType(typeof(KPodManifest))]
public sealed class NewKPodManifestCmdlet : PodCreationCmdlet
{
    /// <summary>The manifest's text is JSON instead of YAML.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    /// <summary>Send the pod as a dry run (dryRun=All): admission, validation and defaults apply, nothing is stored or run.</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryBuildPod(out var pod, out var sidecar))
        {
            return;
        }

        var ns = NamespaceFor(pod);
        if (ns is null)
        {
            return;
        }

        Run(Target, async token =>
        {
            pod.Namespace = ns;
            var manifest = await DefaultManager().GetManifestAsync(pod, RunKey, XCom, sidecar, Validate, token).ConfigureAwait(false);
            await EmitAsync(AsJson ? manifest with { Manifest = manifest.Json } : manifest, token).ConfigureAwait(false);
        });
    }
}
