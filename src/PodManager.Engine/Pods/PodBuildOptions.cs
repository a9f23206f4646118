namespace PodManager.Engine.Pods;

/// <summary>What <see cref="PodFactory.Build"/> needs to build a pod: one <c>base</c> container and the knobs New-KPod exposes.</summary>
public sealed record PodBuildOptions
{
    public required string Image { get; init; }

    /// <summary>A fixed name; otherwise one is made from the image and a random suffix on the client, so a retried create cannot duplicate the pod.</summary>
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Arguments { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? CpuRequest { get; init; }

    public string? MemoryRequest { get; init; }

    public string? CpuLimit { get; init; }

    public string? MemoryLimit { get; init; }

    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }

    public string? ServiceAccount { get; init; }

    /// <summary>Always, IfNotPresent or Never; the server defaults it from the image tag when unset.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>Never by default, as the Airflow operator: a task pod runs once.</summary>
    public string RestartPolicy { get; init; } = "Never";
}
