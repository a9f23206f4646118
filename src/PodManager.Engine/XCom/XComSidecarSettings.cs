namespace PodManager.Engine.XCom;

/// <summary>
/// The XCom sidecar a run asks for (-XComSidecarImage, -XComSidecarResources), as the operator's connection extras
/// xcom_sidecar_container_image and xcom_sidecar_container_resources. What is left out takes the defaults.
/// </summary>
public sealed record XComSidecarSettings
{
    /// <summary>The image, e.g. a mirror in a private registry; null takes <see cref="PodManagerOptions.XComSidecarImage"/>.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// Requests by resource name (cpu, memory ...). Requests and limits replace the default resources as a whole,
    /// as the operator's setting does: giving only requests leaves the sidecar without limits.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Requests { get; init; }

    /// <summary>Limits by resource name; see <see cref="Requests"/>.</summary>
    public IReadOnlyDictionary<string, string>? Limits { get; init; }

    /// <summary>True when the settings replace the default resources.</summary>
    public bool HasResources => Requests is not null || Limits is not null;

    /// <summary>Checks every quantity now, so bad input fails before any request (InvalidParameterValue).</summary>
    public void Validate() => _ = XComSidecar.Resources(this);
}
