using System.Collections;
using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Commands;

/// <summary>
/// The parameters that describe a pod, shared by New-KPod and Invoke-KPod: the Image set builds one
/// <c>base</c> container, the Manifest set takes a whole pod. Both bind by property name, so a CSV or
/// a list of objects can describe many pods.
/// </summary>
public abstract class PodCreationCmdlet : PodManagerCmdlet
{
    protected const string ImageSet = "Image";
    protected const string ManifestSet = "Manifest";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string[]? Command { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arguments", "Args")]
    public string[]? Argument { get; set; }

    /// <summary>The pod's name; by default the image's name plus a random suffix.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Env { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Labels")]
    public Hashtable? Label { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Annotations")]
    public Hashtable? Annotation { get; set; }

    /// <summary>The CPU request, a Kubernetes quantity: 250m, 1, 2.5.</summary>
    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string? Cpu { get; set; }

    /// <summary>The memory request, a Kubernetes quantity: 64Mi, 1Gi.</summary>
    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string? Memory { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string? CpuLimit { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string? MemoryLimit { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? NodeSelector { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ServiceAccount { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    /// <summary>Never by default: a task pod runs once, as with the Airflow operator.</summary>
    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Never", "OnFailure", "Always")]
    public string RestartPolicy { get; set; } = "Never";

    /// <summary>The pod as a manifest: a file path, YAML or JSON text, a hashtable, or an object shaped like a pod (kubectl get pod -o json | ConvertFrom-Json).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Manifest { get; set; }

    /// <summary>Adds the XCom sidecar, so the base container can return a JSON result in /airflow/xcom/return.json.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter XCom { get; set; }

    /// <summary>The XCom sidecar's image (with -XCom), e.g. a mirror in a private registry; docker.io/library/alpine:3.22 by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? XComSidecarImage { get; set; }

    /// <summary>The XCom sidecar's resources (with -XCom): @{ requests = @{ cpu = '1m'; memory = '10Mi' }; limits = @{ cpu = '100m'; memory = '50Mi' } }, replacing those defaults as a whole.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? XComSidecarResources { get; set; }

    /// <summary>A stable key for this run: a later run with the same key reattaches to a live pod instead of creating another.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunKey { get; set; }

    /// <summary>What errors of this record point at: the name, else the image or the manifest.</summary>
    protected object? Target => (object?)Name ?? Image ?? Manifest;

    /// <summary>The words ShouldProcess shows: the pod's namespace and name (chosen before it is sent) and what it runs.</summary>
    protected string Describe(PodDescription pod, string ns) => ParameterSetName == ManifestSet
        ? $"pod {ns}/{pod.Name} from the manifest"
        : $"pod {ns}/{pod.Name} running image '{Image}'";

    /// <summary>The namespace the pod goes to: its own, else the session's or the context's; null (reported) when there is no connection.</summary>
    protected string? NamespaceFor(PodDescription pod)
    {
        if (!string.IsNullOrEmpty(pod.Namespace))
        {
            return pod.Namespace;
        }

        try
        {
            return DefaultNamespace(DefaultManager(), null);
        }
        catch (PodManagerException error)
        {
            Report(error, Target);
            return null;
        }
    }

    /// <summary>
    /// Builds the pod this record describes and the XCom sidecar it asks for, or reports why it cannot
    /// (InvalidParameterValue, InvalidManifest) before any request.
    /// </summary>
    protected bool TryBuildPod(out PodDescription pod, out XComSidecarSettings? sidecar)
    {
        if (ParameterSetName == ImageSet && CommandLines.Warning(Command, withArgumentParameter: true) is { } warning)
        {
            WriteWarning(warning);
        }

        try
        {
            sidecar = BuildSidecar();
            pod = BuildPod();
            return true;
        }
        catch (PodManagerException error)
        {
            Report(error, Target);
            pod = null!;
            sidecar = null;
            return false;
        }
    }

    private XComSidecarSettings? BuildSidecar()
    {
        if (XComSidecarImage is null && XComSidecarResources is null)
        {
            return null;
        }

        var settings = new XComSidecarSettings
        {
            Image = XComSidecarImage,
            Requests = ResourcePart("requests"),
            Limits = ResourcePart("limits"),
        };
        var unknown = XComSidecarResources?.Keys.Cast<object>().Select(k => k.ToString()).FirstOrDefault(k => k is not null
            && !k.Equals("requests", StringComparison.OrdinalIgnoreCase) && !k.Equals("limits", StringComparison.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-XComSidecarResources has the key '{unknown}'; it takes 'requests' and 'limits'. Give them as @{{ requests = @{{ cpu = '1m'; memory = '10Mi' }}; limits = @{{ cpu = '100m'; memory = '50Mi' }} }}.");
        }

        settings.Validate();
        return settings;
    }

    /// <summary>The requests or limits of -XComSidecarResources, as resource name to quantity.</summary>
    private IReadOnlyDictionary<string, string>? ResourcePart(string part)
    {
        var key = XComSidecarResources?.Keys.Cast<object>().FirstOrDefault(k => part.Equals(k.ToString(), StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            return null;
        }

        var value = XComSidecarResources![key] is PSObject wrapped ? wrapped.BaseObject : XComSidecarResources[key];
        return value is IDictionary table
            ? Hashtables.ToStrings(table, $"XComSidecarResources {part}")
            : throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-XComSidecarResources {part} must be a hashtable of resource name to quantity, e.g. {part} = @{{ cpu = '1m'; memory = '10Mi' }}.");
    }

    private PodDescription BuildPod()
    {
        var name = Name is null ? null : NormalizedName(Name);
        var labels = Hashtables.ToStrings(Label, nameof(Label));
        var annotations = Hashtables.ToStrings(Annotation, nameof(Annotation));
        if (ParameterSetName == ManifestSet)
        {
            var described = PodDescription.FromManifest(ManifestText(Manifest!));
            described.Name = name ?? described.Name;
            described.Namespace = Namespace ?? described.Namespace;
            return described.WithMetadata(labels, annotations);
        }

        return PodDescription.FromBuildOptions(new PodBuildOptions
        {
            Image = Image!,
            Name = name,
            Namespace = Namespace,
            Command = Command,
            Arguments = Argument,
            Environment = Hashtables.ToStrings(Env, nameof(Env)),
            Labels = labels,
            Annotations = annotations,
            CpuRequest = Cpu,
            MemoryRequest = Memory,
            CpuLimit = CpuLimit,
            MemoryLimit = MemoryLimit,
            NodeSelector = Hashtables.ToStrings(NodeSelector, nameof(NodeSelector)),
            ServiceAccount = ServiceAccount,
            ImagePullPolicy = ImagePullPolicy,
            RestartPolicy = RestartPolicy,
        });
    }

    /// <summary>-Name as a valid pod name (see PodFactory.NormalizeName), saying so when it had to change.</summary>
    private string NormalizedName(string given)
    {
        var name = PodFactory.NormalizeName(given);
        if (name != given)
        {
            WriteVerbose($"-Name '{given}' is not a valid pod name; using '{name}' (lower case, characters outside [a-z0-9-] become '-', at most {PodFactory.MaxNameLength} characters, as Airflow names pods).");
        }

        return name;
    }

    private string ManifestText(object manifest)
    {
        var value = manifest is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : manifest;
        return value switch
        {
            string text when !text.Contains('\n', StringComparison.Ordinal) && !text.TrimStart().StartsWith('{') => ResolvePath(text),
            string text => text,
            FileInfo file => ResolvePath(file.FullName),
            _ => JsonConversion.ToJson(value),
        };
    }

    private string ResolvePath(string path)
    {
        var full = GetUnresolvedProviderPathFromPSPath(path);
        return File.Exists(full)
            ? full
            : throw new PodManagerException(ErrorIds.ManifestNotFound,
                $"-Manifest '{path}' is neither an existing file nor YAML or JSON text. Give a path to a pod manifest, the manifest text, or a hashtable.");
    }
}
