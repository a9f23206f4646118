using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Pods;

namespace PodManager.Commands;

/// <summary>
/// A cmdlet that acts on existing pods, named three ways, one parameter set each: a piped <see cref="KPod"/> (which
/// carries its connection; the subclass declares that parameter, since Invoke-KPodCommand's -InputObject is its
/// stdin), -Name and -Namespace (bound by property name too), or the <c>metadata</c> of a pod from kubectl's JSON.
/// <see cref="Targets"/> turns whichever was given into the pods to act on.
/// </summary>
public abstract class PodReferenceCmdlet : PodManagerCmdlet
{
    protected const string PodSet = "Pod";
    protected const string NameSet = "Name";
    protected const string ObjectSet = "KubernetesObject";

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
    public virtual string? Namespace { get; set; }

    /// <summary>
    /// The <c>metadata</c> of a pod object from elsewhere, bound by property name: <c>kubectl get pod x -o json |
    /// ConvertFrom-Json</c> (or the items of a list) pipes straight in.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public PSObject? Metadata { get; set; }

    /// <summary>The piped pod of the <see cref="PodSet"/> parameter set.</summary>
    protected abstract KPod? PipedPod { get; }

    /// <summary>What the errors of this record point at before its pods are known: the piped pod, or the name.</summary>
    protected object? Target => (object?)PipedPod ?? Name ?? (object?)Metadata;

    /// <summary>
    /// The pods this input record names: a piped KPod (a hashtable or object converted to one may lack a namespace:
    /// it gets the default, as a -Name does), the name in piped kubectl metadata, or -Name; a name with wildcards is
    /// every pod it matches (none is no error, as with Remove-Item), each a target of its own. What cannot name a pod
    /// is reported and yields nothing.
    /// </summary>
    protected IReadOnlyList<PodTarget> Targets() => Resolve(PipedPod, Name, Namespace, Metadata);

    /// <summary>Reports a parameter value that cannot work (checked before any request); true when there was one.</summary>
    protected bool Rejects(PodManagerException? invalid)
    {
        if (invalid is not null)
        {
            Report(invalid, Target);
        }

        return invalid is not null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> for each pod this record names (<see cref="Targets"/>), one after another, each
    /// with errors of its own; with <paramref name="confirmAction"/>, only for the pods ShouldProcess allows.
    /// </summary>
    protected void ForEachTarget(Func<PodTarget, CancellationToken, Task> work, string? confirmAction = null)
    {
        foreach (var pod in Targets())
        {
            if (confirmAction is null || ShouldProcess(pod.Text, confirmAction))
            {
                Run(pod.ErrorTarget, token => work(pod, token));
            }
        }
    }

    private IReadOnlyList<PodTarget> Resolve(KPod? pod, string? name, string? ns, PSObject? metadata)
    {
        if (pod is not null)
        {
            if (string.IsNullOrEmpty(pod.Name))
            {
                Report(NoPodName("The piped object has no Name", "Pipe a KPod (Get-KPod) or an object with a Name property, or give -Name."), pod);
                return [];
            }

            var podNamespace = string.IsNullOrEmpty(ns) ? pod.Namespace : ns;
            var text = string.IsNullOrEmpty(podNamespace) ? pod.Name : $"{podNamespace}/{pod.Name}";
            return [new PodTarget(pod, text, () =>
            {
                var manager = ManagerFor(pod.Connection);
                return (manager, DefaultNamespace(manager, podNamespace), pod.Name);
            })];
        }

        if (metadata is not null)
        {
            name = PodMetadata.Field(metadata, "name");
            ns = PodMetadata.Field(metadata, "namespace");
            if (string.IsNullOrEmpty(name))
            {
                var shown = metadata.BaseObject is string or ValueType ? $"'{metadata}'" : "an object without a name";
                Report(NoPodName($"The piped object's metadata is {shown}, not a pod's metadata with a name",
                    "Pipe pods as kubectl prints them (kubectl get pod NAME -o json | ConvertFrom-Json), or give -Name."), metadata);
                return [];
            }
        }

        if (name is null || !PodNamePattern.HasWildcards(name))
        {
            return [new PodTarget(name, string.IsNullOrEmpty(ns) ? name! : $"{ns}/{name}", () =>
            {
                var manager = DefaultManager();
                return (manager, DefaultNamespace(manager, ns), name!);
            })];
        }

        var found = new List<KPod>();
        Run(name, async token =>
        {
            var manager = DefaultManager();
            var where = DefaultNamespace(manager, ns);
            var search = await manager.FindPodsAsync(where, [name!], null, null, token).ConfigureAwait(false);
            found.AddRange(search.Pods);
            if (found.Count == 0)
            {
                EmitVerbose($"No pod in namespace '{where}' matches '{name}'.");
            }
        });
        return found.SelectMany(match => Resolve(match, null, null, null)).ToList();
    }

    private static PodManagerException NoPodName(string what, string fix) =>
        new(ErrorIds.InvalidParameterValue, $"{what}, so it names no pod. {fix}");
}
