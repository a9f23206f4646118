using System.Collections;
using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Commands;

/// <summary>
/// The parameters that describe a pod, shared by New-KPod, Invoke-KPod and New-KPodManifest: the Image set builds one
/// <c>base</c> container, the Template set starts from a pod and overrides or extends it (the merge rules of Airflow's reconcile_pods),
/// the Manifest set takes a whole pod as it is. Every parameter binds by property name, so a CSV or a list of objects
/// can describe many pods.
/// </summary>
public abstract class PodCreationCmdlet : PodManagerCmdlet
{
    protected const string ImageSet = "Image";
    protected const string TemplateSet = "Template";
    protected const string ManifestSet = "Manifest";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = TemplateSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>The pod to start from: a file path, YAML or JSON text, a hashtable, a pod-shaped object, or a KPodManifest.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TemplateSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Template { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Command { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
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

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? Env { get; set; }

    /// <summary>Variables from one key of a Secret each: @{ DB_PASSWORD = 'db-secret/password' }.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? SecretEnv { get; set; }

    /// <summary>Variables from one key of a ConfigMap each: @{ LOG_LEVEL = 'app-config/log-level' }.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? ConfigMapEnv { get; set; }

    /// <summary>Every key of Secrets and ConfigMaps as variables: 'secret/app-secrets', 'configmap/app-config'.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? EnvFrom { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Labels")]
    public Hashtable? Label { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Annotations")]
    public Hashtable? Annotation { get; set; }

    /// <summary>The CPU request, a Kubernetes quantity: 250m, 1, 2.5.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Cpu { get; set; }

    /// <summary>The memory request, a Kubernetes quantity: 64Mi, 1Gi.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Memory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CpuLimit { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MemoryLimit { get; set; }

    /// <summary>Other resources, requested and limited alike: @{ 'nvidia.com/gpu' = 1 }.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Resources")]
    public Hashtable? Resource { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? NodeSelector { get; set; }

    /// <summary>Tolerations: kubectl's 'key=value:Effect', or hashtables of a toleration's fields.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tolerations")]
    [ValidateNotNullOrEmpty]
    public object[]? Toleration { get; set; }

    /// <summary>The pod's affinity, a hashtable of a Kubernetes Affinity's fields.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Affinity { get; set; }

    /// <summary>Volumes mounted in the base container: objects from New-KPodVolume, or hashtables with its parameters as keys.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Volumes")]
    [ValidateNotNullOrEmpty]
    public object[]? Volume { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ImagePullSecrets")]
    [ValidateNotNullOrEmpty]
    public string[]? ImagePullSecret { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? PriorityClass { get; set; }

    /// <summary>A server-side limit on the pod's run time (activeDeadlineSeconds).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [TimeSpanTransformation]
    public TimeSpan? ActiveDeadline { get; set; }

    /// <summary>The base container's security context (a hashtable), or the preset Restricted for the whole pod.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? SecurityContext { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Init containers, hashtables of a container's fields; they run in order before the base container.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("InitContainers")]
    [ValidateNotNullOrEmpty]
    public object[]? InitContainer { get; set; }

    /// <summary>Sidecars, hashtables of a container's fields; they run beside the base container and stop when it is done.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Sidecars")]
    [ValidateNotNullOrEmpty]
    public object[]? Sidecar { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ServiceAccount { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    /// <summary>Never unless the template says otherwise: a task pod runs once, as with the Airflow operator.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Never", "OnFailure", "Always")]
    public string? RestartPolicy { get; set; }

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

    /// <summary>What errors of this record point at: the name, else the image, the manifest or the template.</summary>
    protected object? Target => (object?)Name ?? Image ?? Manifest ?? Template;

    /// <summary>The words ShouldProcess shows: the pod's namespace and name (chosen before it is sent) and what it runs.</summary>
    protected string Describe(PodDescription pod, string ns) => ParameterSetName switch
    {
        ManifestSet => $"pod {ns}/{pod.Name} from the manifest",
        TemplateSet when Image is not null => $"pod {ns}/{pod.Name} from the template, running image '{Image}'",
        TemplateSet => $"pod {ns}/{pod.Name} from the template",
        _ => $"pod {ns}/{pod.Name} running image '{Image}'",
    };

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
    /// (InvalidParameterValue, InvalidManifest, ManifestNotFound, ManifestConflict) before any request.
    /// </summary>
    protected bool TryBuildPod(out PodDescription pod, out XComSidecarSettings? sidecar)
    {
        if (ParameterSetName != ManifestSet && CommandLines.Warning(Command, withArgumentParameter: true) is { } warning)
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
            if (AuthoringParameters().Where(p => p.Given).Select(p => p.Name).FirstOrDefault() is { } given)
            {
                throw new PodManagerException(ErrorIds.ManifestConflict,
                    $"-Manifest is exactly the pod to create, so it takes no -{given}. To start from this pod and change it, give it as -Template instead: "
                    + $"the parameters then override or extend it (e.g. New-KPod -Template ./pod.yaml -{given} ...).");
            }

            var described = PodDescription.FromManifest(PodText(Manifest!, nameof(Manifest)));
            described.Name = name ?? described.Name;
            described.Namespace = Namespace ?? described.Namespace;
            return described.WithMetadata(labels, annotations);
        }

        return PodDescription.FromBuildOptions(new PodBuildOptions
        {
            Image = Image,
            Template = Template is null ? null : PodText(Template, nameof(Template)),
            Name = name,
            Namespace = Namespace,
            Command = Command,
            Arguments = Argument,
            Environment = Hashtables.ToStrings(Env, nameof(Env)),
            SecretEnvironment = Hashtables.ToStrings(SecretEnv, nameof(SecretEnv)),
            ConfigMapEnvironment = Hashtables.ToStrings(ConfigMapEnv, nameof(ConfigMapEnv)),
            EnvironmentFrom = EnvFrom,
            Labels = labels,
            Annotations = annotations,
            CpuRequest = Cpu,
            MemoryRequest = Memory,
            CpuLimit = CpuLimit,
            MemoryLimit = MemoryLimit,
            Resources = Hashtables.ToStrings(Resource, nameof(Resource)),
            NodeSelector = Hashtables.ToStrings(NodeSelector, nameof(NodeSelector)),
            Tolerations = Toleration?.Select(t => ObjectParameters.Unwrap(t) is string text ? text
                : ObjectParameters.Json(t) ?? throw ObjectParameters.Invalid(nameof(Toleration), t, "'dedicated=gpu:NoSchedule' or @{ key = 'dedicated'; operator = 'Equal'; value = 'gpu'; effect = 'NoSchedule' }")).ToList(),
            Affinity = Affinity is null ? null
                : ObjectParameters.Json(Affinity) ?? throw ObjectParameters.Invalid(nameof(Affinity), Affinity, "@{ nodeAffinity = @{ ... } }"),
            Volumes = VolumeParameters.From(Volume),
            ImagePullSecrets = ImagePullSecret,
            PriorityClass = PriorityClass,
            ActiveDeadline = ActiveDeadline,
            SecurityContext = SecurityContextValue(),
            WorkingDirectory = WorkingDirectory,
            InitContainers = ObjectParameters.JsonList(InitContainer, nameof(InitContainer), "@{ name = 'fetch'; command = 'sh', '-c', '...' }"),
            Sidecars = ObjectParameters.JsonList(Sidecar, nameof(Sidecar), "@{ name = 'proxy'; image = 'nginx'; command = ... }"),
            ServiceAccount = ServiceAccount,
            ImagePullPolicy = ImagePullPolicy,
            RestartPolicy = RestartPolicy,
        });
    }

    /// <summary>The parameters that describe what a pod is made of, which -Manifest (exactly this pod) cannot take.</summary>
    private IEnumerable<(string Name, bool Given)> AuthoringParameters() =>
    [
        (nameof(Image), Image is not null), (nameof(Command), Command is not null), (nameof(Argument), Argument is not null),
        (nameof(Env), Env is not null), (nameof(SecretEnv), SecretEnv is not null), (nameof(ConfigMapEnv), ConfigMapEnv is not null),
        (nameof(EnvFrom), EnvFrom is not null), (nameof(Cpu), Cpu is not null), (nameof(Memory), Memory is not null),
        (nameof(CpuLimit), CpuLimit is not null), (nameof(MemoryLimit), MemoryLimit is not null), (nameof(Resource), Resource is not null),
        (nameof(NodeSelector), NodeSelector is not null), (nameof(Toleration), Toleration is not null), (nameof(Affinity), Affinity is not null),
        (nameof(Volume), Volume is not null), (nameof(ImagePullSecret), ImagePullSecret is not null), (nameof(PriorityClass), PriorityClass is not null),
        (nameof(ActiveDeadline), ActiveDeadline is not null), (nameof(SecurityContext), SecurityContext is not null),
        (nameof(WorkingDirectory), WorkingDirectory is not null), (nameof(InitContainer), InitContainer is not null), (nameof(Sidecar), Sidecar is not null),
        (nameof(ServiceAccount), ServiceAccount is not null), (nameof(ImagePullPolicy), ImagePullPolicy is not null), (nameof(RestartPolicy), RestartPolicy is not null),
    ];

    /// <summary>-SecurityContext as the engine takes it: the preset's name, or the JSON of the hashtable.</summary>
    private string? SecurityContextValue() => ObjectParameters.Unwrap(SecurityContext) switch
    {
        null => null,
        string preset when SecurityPresets.IsRestricted(preset) => SecurityPresets.Restricted,
        var value => ObjectParameters.Json(value) ?? throw new PodManagerException(ErrorIds.InvalidParameterValue,
            $"-SecurityContext takes the preset '{SecurityPresets.Restricted}' (the restricted Pod Security Standard) or a hashtable of the base container's security context, e.g. @{{ runAsUser = 1000; readOnlyRootFilesystem = $true }}; not '{value}'."),
    };

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

    /// <summary>A -Manifest or -Template value as the engine reads it: a file's full path, or YAML or JSON text.</summary>
    private string PodText(object value, string parameter)
    {
        return ObjectParameters.Unwrap(value) switch
        {
            string text when !text.Contains('\n', StringComparison.Ordinal) && !text.TrimStart().StartsWith('{') => ResolvePath(text),
            string text => text,
            FileInfo file => ResolvePath(file.FullName),
            KPodManifest manifest => manifest.Json,
            _ => JsonConversion.ToJson(value),
        };

        string ResolvePath(string path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(path);
            return File.Exists(full)
                ? full
                : throw new PodManagerException(ErrorIds.ManifestNotFound,
                    $"-{parameter} '{path}' is neither an existing file nor YAML or JSON text. Give a path to a pod {(parameter == nameof(Template) ? "template" : "manifest")}, its text, or a hashtable.");
        }
    }
}
