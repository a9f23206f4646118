using k8s.Models;
using static PodManager.TestCluster.ApiServer.Admission.PodSecurity.CheckResult;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>
/// The checks the restricted standard adds, each worded as its check_*.go in k8s.io/pod-security-admission/policy.
/// From policy version 1.25 a Windows pod (<c>spec.os.name: windows</c>) is exempt from the Linux-only ones.
/// A check returns null when the pod passes.
/// </summary>
internal static class RestrictedChecks
{
    /// <summary>The volume sources the restricted standard allows (check_restrictedVolumes.go).</summary>
    private static readonly Func<V1Volume, bool>[] AllowedVolumeSources =
    [
        v => v.ConfigMap is not null, v => v.Csi is not null, v => v.DownwardAPI is not null, v => v.EmptyDir is not null,
        v => v.Ephemeral is not null, v => v.Image is not null, v => v.PersistentVolumeClaim is not null, v => v.Projected is not null,
        v => v.Secret is not null,
    ];

    /// <summary>The other volume sources, in the order the real check names the first one a volume has.</summary>
    private static readonly (string Type, Func<V1Volume, bool> Has)[] RestrictedVolumeSources =
    [
        ("hostPath", v => v.HostPath is not null), ("gcePersistentDisk", v => v.GcePersistentDisk is not null),
        ("awsElasticBlockStore", v => v.AwsElasticBlockStore is not null), ("gitRepo", v => v.GitRepo is not null),
        ("nfs", v => v.Nfs is not null), ("iscsi", v => v.Iscsi is not null), ("glusterfs", v => v.Glusterfs is not null),
        ("rbd", v => v.Rbd is not null), ("flexVolume", v => v.FlexVolume is not null), ("cinder", v => v.Cinder is not null),
        ("cephfs", v => v.Cephfs is not null), ("flocker", v => v.Flocker is not null), ("fc", v => v.Fc is not null),
        ("azureFile", v => v.AzureFile is not null), ("vsphereVolume", v => v.VsphereVolume is not null),
        ("quobyte", v => v.Quobyte is not null), ("azureDisk", v => v.AzureDisk is not null),
        ("photonPersistentDisk", v => v.PhotonPersistentDisk is not null), ("portworxVolume", v => v.PortworxVolume is not null),
        ("scaleIO", v => v.ScaleIO is not null), ("storageos", v => v.Storageos is not null),
    ];

    public static CheckResult? AllowPrivilegeEscalation(V1ObjectMeta meta, V1PodSpec spec)
    {
        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.AllowPrivilegeEscalation != false).Select(c => c.Name).ToList();
        return containers.Count == 0 ? null : new CheckResult("allowPrivilegeEscalation != false", $"{Containers(containers)} must set securityContext.allowPrivilegeEscalation=false");
    }

    public static CheckResult? Capabilities(V1ObjectMeta meta, V1PodSpec spec)
    {
        var missingDropAll = new List<string>();
        var adding = new List<string>();
        var added = new List<string>();
        foreach (var container in PodContainerView.All(spec))
        {
            var capabilities = container.SecurityContext?.Capabilities;
            if (capabilities?.Drop?.Contains("ALL") != true)
            {
                missingDropAll.Add(container.Name);
            }

            var forbidden = (capabilities?.Add ?? []).Where(c => c != "NET_BIND_SERVICE").ToList();
            if (forbidden.Count > 0)
            {
                adding.Add(container.Name);
                added.AddRange(forbidden);
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (adding.Count > 0)
        {
            details.Add($"{Containers(adding)} must not include {JoinQuote(Sorted(added))} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? null : new CheckResult("unrestricted capabilities", string.Join("; ", details));
    }

    public static CheckResult? RestrictedVolumes(V1ObjectMeta meta, V1PodSpec spec)
    {
        var volumes = new List<string>();
        var types = new List<string>();
        foreach (var volume in spec.Volumes ?? [])
        {
            if (AllowedVolumeSources.Any(allowed => allowed(volume)))
            {
                continue;
            }

            volumes.Add(volume.Name);
            types.Add(RestrictedVolumeSources.FirstOrDefault(source => source.Has(volume)).Type ?? "unknown");
        }

        var sortedTypes = Sorted(types);
        return volumes.Count == 0 ? null : new CheckResult(
            "restricted volume types",
            $"{Pluralize("volume", "volumes", volumes.Count)} {JoinQuote(volumes)} {Pluralize("uses", "use", volumes.Count)} {Pluralize("restricted volume type", "restricted volume types", sortedTypes.Count)} {JoinQuote(sortedTypes)}");
    }

    public static CheckResult? RunAsNonRoot(V1ObjectMeta meta, V1PodSpec spec)
    {
        var setters = new List<string>();
        var podNonRoot = false;
        if (spec.SecurityContext?.RunAsNonRoot is { } podValue)
        {
            if (podValue)
            {
                podNonRoot = true;
            }
            else
            {
                setters.Add("pod");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in PodContainerView.All(spec))
        {
            if (container.SecurityContext?.RunAsNonRoot is { } value)
            {
                if (!value)
                {
                    explicitlyBad.Add(container.Name);
                }
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add(container.Name);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new CheckResult("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        }

        return implicitlyBad.Count == 0 ? null : new CheckResult("runAsNonRoot != true", $"pod or {Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true");
    }

    public static CheckResult? RunAsUser(V1ObjectMeta meta, V1PodSpec spec)
    {
        var setters = new List<string>();
        if (spec.SecurityContext?.RunAsUser == 0)
        {
            setters.Add("pod");
        }

        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.RunAsUser == 0).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        return setters.Count == 0 ? null : new CheckResult("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0");
    }

    public static CheckResult? SeccompProfile(V1ObjectMeta meta, V1PodSpec spec)
    {
        var setters = new List<string>();
        var values = new List<string>();
        var podSet = false;
        if (spec.SecurityContext?.SeccompProfile is { } podProfile)
        {
            if (BaselineChecks.IsValidSeccomp(podProfile.Type))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podProfile.Type ?? string.Empty);
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var container in PodContainerView.All(spec))
        {
            if (container.SecurityContext?.SeccompProfile is { } profile)
            {
                if (!BaselineChecks.IsValidSeccomp(profile.Type))
                {
                    explicitlyBad.Add(container.Name);
                    values.Add(profile.Type ?? string.Empty);
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(container.Name);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return new CheckResult("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(Sorted(values))}");
        }

        return implicitlyBad.Count == 0 ? null : new CheckResult(
            "seccompProfile",
            $"pod or {Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }

    /// <summary>From policy 1.25 a Linux-only check passes a Windows pod, whose API validation forbids those fields.</summary>
    public static Func<V1ObjectMeta, V1PodSpec, CheckResult?> ExceptWindows(Func<V1ObjectMeta, V1PodSpec, CheckResult?> check) =>
        (meta, spec) => PodContainerView.IsWindows(spec) ? null : check(meta, spec);
}
