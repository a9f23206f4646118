using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>Reads pods as <see cref="KPod"/> objects: by name (wildcards allowed), label selector, in one namespace or all.</summary>
[Cmdlet(VerbsCommon.Get, "KPod", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(KPod))]
public sealed class GetKPodCommand : PodManagerCmdlet
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
            var exact = Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? [];
            var patterns = Name?.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList() ?? [];

            if (Name is null || patterns.Count > 0 || ns is null)
            {
                var found = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pod in await manager.ListPodsAsync(ns, Selector, FieldSelector, token).ConfigureAwait(false))
                {
                    if (Name is null || patterns.Any(p => p.IsMatch(pod.Name)) || exact.Contains(pod.Name))
                    {
                        found.Add(pod.Name);
                        await EmitAsync(pod, token).ConfigureAwait(false);
                    }
                }

                foreach (var missing in exact.Where(n => !found.Contains(n)))
                {
                    EmitError(NotFound(missing, ns), missing);
                }

                return;
            }

            foreach (var name in exact)
            {
                var selected = await manager.ListPodsAsync(ns, Selector, CombineFieldSelector($"metadata.name={name}"), token).ConfigureAwait(false);
                if (selected.Count == 0)
                {
                    EmitError(NotFound(name, ns), name);
                }

                foreach (var pod in selected)
                {
                    await EmitAsync(pod, token).ConfigureAwait(false);
                }
            }
        });
    }

    private PodManagerException NotFound(string name, string? ns) =>
        new("PodNotFound", PodManagerErrorCategory.ObjectNotFound,
            $"Pod '{name}' was not found {(ns is null ? "in any namespace" : $"in namespace '{ns}'")}{(Selector is null && FieldSelector is null ? "" : " with the selectors given")}. Check the name and -Namespace, or use a wildcard (Get-KPod '{name}*').");

    private string CombineFieldSelector(string byName) => FieldSelector is null ? byName : $"{FieldSelector},{byName}";
}
