namespace PodManager.Engine.Pods;

/// <summary>
/// What <see cref="PodFactory.Build"/> needs to build a pod: one <c>base</c> container and every setting New-KPod
/// exposes, optionally over a template (<see cref="Template"/>). Settings that are Kubernetes objects (tolerations,
/// affinity, security context, extra containers) come as JSON text, since the cmdlets cannot name KubernetesClient
/// types; each is checked field by field (<see cref="ParameterObjects"/>).
/// </summary>
public sealed record PodBuildOptions
{
    /// <summary>The base container's image; required without a template, which may bring its own.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// The pod to start from (-Template): a file path, or YAML or JSON text. Every other setting overrides or extends
    /// it by the rules of <see cref="PodReconciler"/>.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>A fixed name; otherwise the template's, else one made from the image and a random suffix on the client, so a retried create cannot duplicate the pod.</summary>
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Arguments { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Variables from one key of a Secret: variable name to <c>secret-name/key</c> (-SecretEnv).</summary>
    public IReadOnlyDictionary<string, string>? SecretEnvironment { get; init; }

    /// <summary>Variables from one key of a ConfigMap: variable name to <c>configmap-name/key</c> (-ConfigMapEnv).</summary>
    public IReadOnlyDictionary<string, string>? ConfigMapEnvironment { get; init; }

    /// <summary>Every key of a Secret or ConfigMap as a variable: <c>secret/name</c> or <c>configmap/name</c> (-EnvFrom).</summary>
    public IReadOnlyList<string>? EnvironmentFrom { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? CpuRequest { get; init; }

    public string? MemoryRequest { get; init; }

    public string? CpuLimit { get; init; }

    public string? MemoryLimit { get; init; }

    /// <summary>Other resources, requested and limited alike: resource name to quantity, e.g. nvidia.com/gpu to 1 (-Resource).</summary>
    public IReadOnlyDictionary<string, string>? Resources { get; init; }

    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    /// <summary>Tolerations (-Toleration), each JSON object text or kubectl's <c>key[=value][:Effect]</c>.</summary>
    public IReadOnlyList<string>? Tolerations { get; init; }

    /// <summary>The pod's affinity (-Affinity), JSON object text of a Kubernetes Affinity.</summary>
    public string? Affinity { get; init; }

    /// <summary>Volumes mounted in the base container (-Volume).</summary>
    public IReadOnlyList<KPodVolume>? Volumes { get; init; }

    public IReadOnlyList<string>? ImagePullSecrets { get; init; }

    public string? PriorityClass { get; init; }

    /// <summary>A server-side limit on the pod's run time (activeDeadlineSeconds, whole seconds rounded up).</summary>
    public TimeSpan? ActiveDeadline { get; init; }

    /// <summary>The base container's security context (-SecurityContext): JSON object text, or <see cref="SecurityPresets.Restricted"/>.</summary>
    public string? SecurityContext { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Init containers (-InitContainer), each JSON object text of a Kubernetes Container.</summary>
    public IReadOnlyList<string>? InitContainers { get; init; }

    /// <summary>Sidecars (-Sidecar): init containers that keep running beside the base container (restartPolicy Always).</summary>
    public IReadOnlyList<string>? Sidecars { get; init; }

    public string? ServiceAccount { get; init; }

    /// <summary>Always, IfNotPresent or Never; the server defaults it from the image tag when unset.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>Never when neither this nor the template says otherwise, as the Airflow operator: a task pod runs once.</summary>
    public string? RestartPolicy { get; init; }
}
