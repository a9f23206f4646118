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

    /// <summary>What the errors of this record point at: the piped pod, or the name.</summary>
    protected object? Target => (object?)InputObject ?? Name;

    /// <summary>For the user: namespace/name of the current record (the namespace may not be known before the connection is).</summary>
    protected string TargetText => InputObject is { } pod ? $"{pod.Namespace}/{pod.Name}" : Namespace is null ? Name! : $"{Namespace}/{Name}";

    protected (PodManagerEngine Manager, string Namespace, string Name) ResolveTarget() => ResolvePod(InputObject, Name, Namespace);
}
