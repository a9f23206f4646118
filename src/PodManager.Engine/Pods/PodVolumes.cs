using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// A <see cref="KPodVolume"/> (-Volume, New-KPodVolume) as the pod's volume and the base container's mount, checked
/// by the API server's rules for volumes before any request.
/// </summary>
public static class PodVolumes
{
    /// <summary>The largest file mode a volume takes (0777), as the API server checks defaultMode and mode.</summary>
    private const int MaxMode = 511;

    /// <summary>Checks the volume, or throws InvalidParameterValue naming <paramref name="what"/> and the rule.</summary>
    /// <param name="what">The volume in the user's words: "-Volume 'config'", "New-KPodVolume 'config'".</param>
    public static void Check(KPodVolume volume, string what)
    {
        var sources = new[]
        {
            (Given: volume.ConfigMap is not null, Name: "ConfigMap"),
            (Given: volume.Secret is not null, Name: "Secret"),
            (Given: volume.EmptyDir, Name: "EmptyDir"),
            (Given: volume.PersistentVolumeClaim is not null, Name: "PersistentVolumeClaim"),
        }.Where(s => s.Given).Select(s => s.Name).ToList();
        if (sources.Count == 0)
        {
            throw Invalid($"{what} has no source. Give one of ConfigMap, Secret, EmptyDir or PersistentVolumeClaim, e.g. @{{ Name = 'config'; ConfigMap = 'app-config'; MountPath = '/etc/app' }} or New-KPodVolume -Name config -ConfigMap app-config -MountPath /etc/app.");
        }

        if (sources.Count > 1)
        {
            throw Invalid($"{what} has {sources.Count} sources ({string.Join(", ", sources)}); a volume has exactly one. Give each source its own volume.");
        }

        if (!KubernetesNames.IsLabel(volume.Name))
        {
            throw Invalid($"{what}: the volume name '{volume.Name}' is not {KubernetesNames.LabelRule}.");
        }

        if (string.IsNullOrWhiteSpace(volume.MountPath) || !volume.MountPath.StartsWith('/'))
        {
            throw Invalid($"{what} needs an absolute MountPath (where the base container sees it, e.g. '/etc/app'), not '{volume.MountPath}'.");
        }

        CheckRelative(volume.SubPath, what, "SubPath");
        var objectName = volume.ConfigMap ?? volume.Secret ?? volume.PersistentVolumeClaim;
        if (objectName is not null && !KubernetesNames.IsSubdomain(objectName))
        {
            throw Invalid($"{what}: '{objectName}' is not a {sources[0]} name, which is {KubernetesNames.SubdomainRule}.");
        }

        var keyed = volume.ConfigMap is not null || volume.Secret is not null;
        OnlyWith(!keyed, volume.Items is not null, what, "Items", "ConfigMap or Secret");
        OnlyWith(!keyed, volume.DefaultMode is not null, what, "DefaultMode", "ConfigMap or Secret");
        OnlyWith(!keyed, volume.Optional, what, "Optional", "ConfigMap or Secret");
        OnlyWith(!volume.EmptyDir, volume.SizeLimit is not null, what, "SizeLimit", "EmptyDir");
        OnlyWith(!volume.EmptyDir, volume.Medium is not null, what, "Medium", "EmptyDir");
        if (volume.Medium is not null && volume.Medium != "Memory")
        {
            throw Invalid($"{what}: Medium '{volume.Medium}' is not a medium; an emptyDir takes 'Memory' (a tmpfs), or no medium for the node's disk.");
        }

        if (volume.SizeLimit is not null)
        {
            PodFactory.ParseQuantity(volume.SizeLimit, "memory", $"{what} SizeLimit");
        }

        _ = Mode(volume.DefaultMode, what);
        foreach (var (key, path) in volume.Items ?? new Dictionary<string, string>())
        {
            if (!KubernetesNames.IsKey(key))
            {
                throw Invalid($"{what}: the item key '{key}' is not a key of a {sources[0]}, which is {KubernetesNames.KeyRule}.");
            }

            if (path.Length == 0 || path.StartsWith('/') || path.StartsWith("..", StringComparison.Ordinal) || path.Split('/').Contains(".."))
            {
                throw Invalid($"{what}: the path '{path}' of item '{key}' must be a relative path that does not start with '..', e.g. @{{ '{key}' = '{key}' }}.");
            }
        }
    }

    internal static V1Volume Volume(KPodVolume volume)
    {
        var items = volume.Items?.Select(i => new V1KeyToPath { Key = i.Key, Path = i.Value }).ToList();
        var mode = Mode(volume.DefaultMode, volume.Name);
        bool? optional = volume.Optional ? true : null;
        return new V1Volume
        {
            Name = volume.Name,
            ConfigMap = volume.ConfigMap is null ? null : new V1ConfigMapVolumeSource { Name = volume.ConfigMap, Items = items, DefaultMode = mode, Optional = optional },
            Secret = volume.Secret is null ? null : new V1SecretVolumeSource { SecretName = volume.Secret, Items = items, DefaultMode = mode, Optional = optional },
            EmptyDir = volume.EmptyDir
                ? new V1EmptyDirVolumeSource { Medium = volume.Medium, SizeLimit = volume.SizeLimit is null ? null : new ResourceQuantity(volume.SizeLimit.Trim()) }
                : null,
            PersistentVolumeClaim = volume.PersistentVolumeClaim is null ? null : new V1PersistentVolumeClaimVolumeSource { ClaimName = volume.PersistentVolumeClaim },
        };
    }

    internal static V1VolumeMount Mount(KPodVolume volume) => new()
    {
        Name = volume.Name,
        MountPath = volume.MountPath,
        SubPath = string.IsNullOrEmpty(volume.SubPath) ? null : volume.SubPath,
        ReadOnlyProperty = volume.ReadOnly ? true : null,
    };

    /// <summary>The octal mode text as the number Kubernetes stores (0400 is 256).</summary>
    private static int? Mode(string? octal, string what)
    {
        if (octal is null)
        {
            return null;
        }

        var digits = octal.Trim();
        if (digits.Length == 0 || digits.Any(c => c is < '0' or > '7'))
        {
            throw Invalid($"{what}: DefaultMode '{octal}' is not an octal file mode. Give it as chmod takes it, e.g. '0400' (owner reads) or '0644'.");
        }

        var mode = digits.Length <= 20 ? Convert.ToInt64(digits, 8) : long.MaxValue;
        return mode <= MaxMode
            ? (int)mode
            : throw Invalid($"{what}: DefaultMode '{octal}' is above 0777; give the permission bits only, e.g. '0400' or '0644'.");
    }

    private static void CheckRelative(string? path, string what, string field)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        if (path.StartsWith('/') || path.Split('/').Contains(".."))
        {
            throw Invalid($"{what}: {field} '{path}' must be a relative path without '..' (a file or directory inside the volume).");
        }
    }

    private static void OnlyWith(bool otherSource, bool given, string what, string field, string source)
    {
        if (otherSource && given)
        {
            throw Invalid($"{what}: {field} only applies to a {source} volume.");
        }
    }

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
