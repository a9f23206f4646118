using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Reads pods as <see cref="KPod"/> objects: by name (wildcards allowed), label selector, in one namespace or all.</summary>
[Cmdlet(VerbsCommon.Get, "KPod", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(KPod))]
public sealed class GetKPodCmdlet : PodManagerCmdlet
{
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

    protected override void ProcessRecord()
    {
        Run(Name, async token =>
        {
            var manager = DefaultManager();
            var ns = AllNamespaces ? null : DefaultNamespace(manager, Namespace);
            var search = await manager.FindPodsAsync(ns, Name, Selector, FieldSelector, token).ConfigureAwait(false);
            foreach (var pod in search.Pods)
            {
                await EmitAsync(pod, token).ConfigureAwait(false);
            }

            foreach (var missing in search.Missing)
            {
                EmitError(search.NotFound(missing), missing);
            }
        });
    }
}
