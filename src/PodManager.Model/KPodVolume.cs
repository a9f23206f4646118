namespace PodManager;

/// <summary>
/// A volume of a pod and where its base container mounts it (New-KPodVolume, or a hashtable given to -Volume):
/// exactly one source (a ConfigMap, a Secret, an emptyDir or a PersistentVolumeClaim) and a mount path.
/// </summary>
public sealed record KPodVolume
{
    public required string Name { get; init; }

    /// <summary>The absolute path in the base container where the volume appears.</summary>
    public required string MountPath { get; init; }

    /// <summary>Mount it read-only (ConfigMap and Secret volumes always are).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>A file or directory of the volume to mount instead of its root.</summary>
    public string? SubPath { get; init; }

    /// <summary>The ConfigMap whose keys become files.</summary>
    public string? ConfigMap { get; init; }

    /// <summary>The Secret whose keys become files.</summary>
    public string? Secret { get; init; }

    /// <summary>An empty directory for the pod's lifetime, shared by its containers.</summary>
    public bool EmptyDir { get; init; }

    /// <summary>The emptyDir's size limit, a quantity (1Gi); a pod that writes more is evicted.</summary>
    public string? SizeLimit { get; init; }

    /// <summary>The emptyDir's medium: Memory for a tmpfs.</summary>
    public string? Medium { get; init; }

    /// <summary>The PersistentVolumeClaim whose volume is mounted.</summary>
    public string? PersistentVolumeClaim { get; init; }

    /// <summary>For a ConfigMap or Secret: only these keys, each at its relative path (key to path).</summary>
    public IReadOnlyDictionary<string, string>? Items { get; init; }

    /// <summary>For a ConfigMap or Secret: the files' mode in octal, as chmod takes it (0400, 644).</summary>
    public string? DefaultMode { get; init; }

    /// <summary>For a ConfigMap or Secret: the pod starts even when it (or a key of Items) is missing.</summary>
    public bool Optional { get; init; }

    /// <summary>What the volume is made from, in Kubernetes' words: configMap app-config, secret db, emptyDir, persistentVolumeClaim data.</summary>
    public string Source =>
        ConfigMap is not null ? $"configMap {ConfigMap}"
        : Secret is not null ? $"secret {Secret}"
        : PersistentVolumeClaim is not null ? $"persistentVolumeClaim {PersistentVolumeClaim}"
        : EmptyDir ? "emptyDir"
        : "(no source)";

    public override string ToString() => $"{Name} ({Source}) at {MountPath}";
}
