namespace PodManager;

/// <summary>
/// A pod as it would be sent (New-KPodManifest), or as the API server answered a dry run of its create
/// (New-KPodManifest -Validate). Its text form is the manifest: YAML, or JSON when asked for. It binds to
/// -Manifest of New-KPod and Invoke-KPod by property name (<see cref="Manifest"/>), and -Template takes it too.
/// </summary>
public sealed record KPodManifest
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The manifest's text: <see cref="Yaml"/>, or <see cref="Json"/> when made with -AsJson.</summary>
    public required string Manifest { get; init; }

    public required string Yaml { get; init; }

    public required string Json { get; init; }

    /// <summary>True when this is the API server's answer to a dry-run create: defaults applied, admission passed, nothing stored.</summary>
    public bool Validated { get; init; }

    public override string ToString() => Manifest;
}
