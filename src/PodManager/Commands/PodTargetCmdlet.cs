using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>
/// A cmdlet that acts on existing pods, given as piped <see cref="KPod"/>s (which carry their
/// connection) or by -Name and -Namespace (bound by property name too, e.g. from kubectl's JSON).
/// </summary>
public abstract class PodTargetCmdlet : PodManagerCmdlet
{
    protected const string PodSet = "Pod";
    protected const string NameSet = "Name";
    protected const string ObjectSet = "KubernetesObject";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public KPod? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.PodNameCompleter))]
    [Alias("PodName")]
    public string? Name { get; set; }

    /// <summary>The namespace; otherwise the session's, else the context's.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>
    /// The <c>metadata</c> of a pod object from elsewhere, bound by property name: <c>kubectl get pod x -o json |
    /// ConvertFrom-Json</c> (or the items of a list) pipes straight in.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public PSObject? Metadata { get; set; }

    /// <summary>What the errors of this record point at before its pods are known: the piped pod, or the name.</summary>
    protected object? Target => (object?)InputObject ?? Name ?? (object?)Metadata;

    /// <summary>The pods this record names: every match of a -Name with wildcards, as in Get-KPod.</summary>
    protected IReadOnlyList<PodTarget> Targets() => PodTargets(InputObject, Name, Namespace, Metadata);
}
