using k8s.Models;
using PodManager.Engine.XCom;

namespace PodManager.Engine.Pods;

/// <summary>
/// A whole pod to create (built from <see cref="PodBuildOptions"/> or read from a manifest), as the cmdlets hand it to the engine. The cmdlets load outside the engine's load
/// context and must never touch KubernetesClient types, so the <see cref="V1Pod"/> stays inside.
/// </summary>
public sealed class PodDescription
{
    private PodDescription(V1Pod pod, bool restricted = false)
    {
        Pod = pod;
        Restricted = restricted;
    }

    public string? Name
    {
        get => Pod.Metadata.Name;
        set
        {
            Pod.Metadata.Name = value;
            Pod.Metadata.GenerateName = value is null ? Pod.Metadata.GenerateName : null;
        }
    }

    public string? Namespace
    {
        get => Pod.Metadata.NamespaceProperty;
        set => Pod.Metadata.NamespaceProperty = value;
    }

    internal V1Pod Pod { get; }

    /// <summary>Whether the pod follows the restricted preset (-SecurityContext Restricted), which containers added later must follow too.</summary>
    internal bool Restricted { get; }

    public static PodDescription FromBuildOptions(PodBuildOptions options) =>
        new(PodFactory.Build(options, options.Namespace ?? ""), SecurityPresets.IsRestricted(options.SecurityContext));

    public static PodDescription FromManifest(string textOrPath) => new(PodManifest.Parse(textOrPath));

    public static PodDescription FromPod(V1Pod pod) => new(pod);

    /// <summary>Adds labels and annotations over what the description has, and marks the pod as PodManager's.</summary>
    public PodDescription WithMetadata(IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations)
    {
        Pod.Metadata.Labels ??= new Dictionary<string, string>();
        Pod.Metadata.Annotations ??= new Dictionary<string, string>();
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            Pod.Metadata.Labels[key] = value;
        }

        foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
        {
            Pod.Metadata.Annotations[key] = value;
        }

        Pod.Metadata.Labels[PodDefaults.ManagedByLabel] = PodDefaults.ManagedByValue;
        return this;
    }

    /// <summary>
    /// The pod with the XCom sidecar: the settings' image and resources, else <paramref name="defaultImage"/> and the
    /// default resources; under the restricted preset the sidecar follows it too.
    /// </summary>
    internal PodDescription WithXComSidecar(XComSidecarSettings? settings, string defaultImage)
    {
        var pod = XComSidecar.Add(Pod, settings?.Image ?? defaultImage, XComSidecar.Resources(settings));
        if (Restricted)
        {
            SecurityPresets.ApplyRestricted(pod);
        }

        return new(pod, Restricted);
    }
}
