using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>
/// Reads pods as <see cref="KPod"/> objects: by name (wildcards allowed), label selector, in one namespace or all; with
/// -Raw, each pod whole, as the API server returned it, in PowerShell objects.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KPod", DefaultParameterSetName = NamespaceSet, HelpUri = HelpLinks.Base + "Get-KPod.md")]
[OutputType(typeof(KPod), typeof(PSObject))]
public sealed class GetKPodCmdlet : PodManagerCmdlet
{
    /// <summary>
    /// The type name that pods of -AllNamespaces carry first, so that their default view starts with NAMESPACE, as
    /// kubectl get pods -A prints them.
    /// </summary>
    public const string AllNamespacesTypeName = "PodManager.KPod#AllNamespaces";

    private const string NamespaceSet = "Namespace";
    private const string AllSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>A label selector, as kubectl's -l: <c>app=web,tier!=cache</c>, <c>env in (prod,stage)</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("LabelSelector", "l")]
    public string? Selector { get; set; }

    /// <summary>A field selector, as kubectl's --field-selector: <c>status.phase=Running</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FieldSelector { get; set; }

    [Parameter(ParameterSetName = NamespaceSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Each pod whole, as kubectl get pod -o json | ConvertFrom-Json gives it, instead of a KPod.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override void ProcessRecord()
    {
        Run(Name, async token =>
        {
            var manager = DefaultManager();
            var ns = AllNamespaces ? null : DefaultNamespace(manager, Namespace);
            var search = await manager.FindPodsAsync(ns, Name, Selector, FieldSelector, token, withManifests: Raw).ConfigureAwait(false);
            if (Raw)
            {
                // ConvertFrom-Json runs in this runspace, so on the pipeline thread.
                foreach (var manifest in search.Manifests)
                {
                    Post(() => WriteObject(JsonConversion.FromJson(this, manifest, asHashtable: false)));
                }
            }
            else
            {
                foreach (var pod in search.Pods)
                {
                    await EmitAsync(AllNamespaces ? WithNamespaceColumn(pod) : pod, token).ConfigureAwait(false);
                }
            }

            foreach (var missing in search.Missing)
            {
                EmitError(search.NotFound(missing), missing);
            }
        });
    }

    private static PSObject WithNamespaceColumn(KPod pod)
    {
        var wrapped = PSObject.AsPSObject(pod);
        wrapped.TypeNames.Insert(0, AllNamespacesTypeName);
        return wrapped;
    }
}
