using System.Management.Automation;
using PodManagerEngine = PodManager.Engine.PodManager;

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

    /// <summary>What the errors of this record point at: the piped pod, or the name.</summary>
    protected object? Target => (object?)InputObject ?? PodName;

    /// <summary>For the user: namespace/name of the current record (the namespace may not be known before the connection is).</summary>
    protected string TargetText => InputObject is { } pod ? $"{pod.Namespace}/{pod.Name}" : PodNamespace is null ? PodName! : $"{PodNamespace}/{PodName}";

    protected (PodManagerEngine Manager, string Namespace, string Name) ResolveTarget() => ResolvePod(InputObject, PodName, PodNamespace);

    private string? PodName => Metadata is null ? Name : PodMetadata.Field(Metadata, "name");

    private string? PodNamespace => Metadata is null ? Namespace : PodMetadata.Field(Metadata, "namespace");
}
