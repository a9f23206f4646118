using System.Text;
using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Controllers;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// A pod's directory under the cluster's work directory: its volumes (emptyDir shared by its containers, the files
/// of configMap, secret, downwardAPI and projected volumes, the directories of bound claims) and, per container, its
/// logs and run directories.
/// </summary>
internal sealed class PodSandbox(string directory, V1Pod pod)
{
    /// <summary>0644, the API's default for the volumes' <c>defaultMode</c>.</summary>
    private const int DefaultMode = 420;

    /// <summary>The host directory (or file) behind each volume that has been set up, by volume name.</summary>
    private readonly Dictionary<string, string> sources = new(StringComparer.Ordinal);

    public string Directory { get; } = directory;

    /// <summary>Sets up the pod's volumes (those not set up by an earlier attempt); returns the kubelet's
    /// <c>FailedMount</c> message when one cannot be set up yet.</summary>
    public string? PrepareVolumes(KubeletContext kubelet, string? podIp)
    {
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (sources.ContainsKey(volume.Name))
            {
                continue;
            }

            if (volume.HostPath is { } hostPath)
            {
                sources[volume.Name] = hostPath.Path;
                continue;
            }

            if (volume.PersistentVolumeClaim is { } claimSource)
            {
                var claim = kubelet.Cluster.PersistentVolumeClaims.Get(new ObjectKey(pod.Metadata.NamespaceProperty, claimSource.ClaimName))?.Value;
                if (claim?.Status?.Phase != "Bound")
                {
                    var problem = claim is null ? $"failed to fetch PVC from API server: persistentvolumeclaims \"{claimSource.ClaimName}\" not found" : "PVC is not bound";
                    return $"Unable to attach or mount volumes: unmounted volumes=[{volume.Name}], unattached volumes=[{volume.Name}], failed to process volumes=[{volume.Name}]: error processing PVC {pod.Metadata.NamespaceProperty}/{claimSource.ClaimName}: {problem}";
                }

                var data = PersistentVolumeBinder.VolumePath(kubelet.PersistentVolumesDirectory, claim);
                System.IO.Directory.CreateDirectory(data);
                UnixFiles.SetMode(data, UnixFiles.WorldWritableDirectory);
                sources[volume.Name] = data;
                continue;
            }

            var files = Payload(volume, kubelet, podIp, out var error);
            if (error is not null)
            {
                return $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {error}";
            }

            // Like the kubelet's emptyDir: writable by whatever user the containers run as.
            var path = VolumePath(volume.Name);
            System.IO.Directory.CreateDirectory(path);
            UnixFiles.SetMode(path, UnixFiles.WorldWritableDirectory);
            if (files is not null)
            {
                VolumeProjection.Write(path, files, kubelet.Time.GetUtcNow());
            }

            sources[volume.Name] = path;
        }

        return null;
    }

    /// <summary>The bind mounts of a container's volumeMounts (subPath included); configMap, secret, downwardAPI and
    /// projected volumes, read-only claims and read-only mounts are mounted read-only.</summary>
    public List<ContainerMount> MountsFor(V1Container container)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
            if (volume is null || !sources.TryGetValue(volume.Name, out var source))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                source = Path.Combine(source, mount.SubPath);
                if (volume.HostPath is null && !Path.Exists(source))
                {
                    System.IO.Directory.CreateDirectory(source);
                }
            }

            var readOnly = mount.ReadOnlyProperty == true
                || volume.ConfigMap is not null || volume.Secret is not null || volume.DownwardAPI is not null || volume.Projected is not null
                || volume.PersistentVolumeClaim?.ReadOnlyProperty == true;
            mounts.Add(new ContainerMount(source, mount.MountPath, readOnly, IsFile: File.Exists(source)));
        }

        return mounts;
    }

    /// <summary>The emptyDir volumes with a size limit, and where their data is.</summary>
    public IEnumerable<(string Name, string Path, ResourceQuantity Limit)> LimitedEmptyDirs() =>
        (pod.Spec.Volumes ?? [])
            .Where(v => v.EmptyDir?.SizeLimit is not null && sources.ContainsKey(v.Name))
            .Select(v => (v.Name, sources[v.Name], v.EmptyDir.SizeLimit));

    /// <summary>Removes a finished run's root and scratch files (its log is kept elsewhere).</summary>
    public static void DeleteRun(string runDirectory) => SafeDirectory.TryDelete(runDirectory);

    public string ContainerDirectory(string containerName) => Path.Combine(Directory, "containers", containerName);

    private string VolumePath(string name) => Path.Combine(Directory, "volumes", name);

    /// <summary>The files of a configMap, secret, downwardAPI or projected volume (null for an emptyDir), or the
    /// reason they cannot be made yet (a missing object or key that is not optional).</summary>
    private List<ProjectedFile>? Payload(V1Volume volume, KubeletContext kubelet, string? podIp, out string? error)
    {
        error = null;
        var files = new List<ProjectedFile>();
        switch (volume)
        {
            case { ConfigMap: { } source }:
                error = ConfigMapFiles(kubelet.Cluster, source.Name, source.Items, source.Optional, source.DefaultMode ?? DefaultMode, files);
                return files;
            case { Secret: { } source }:
                error = SecretFiles(kubelet.Cluster, source.SecretName, source.Items, source.Optional, source.DefaultMode ?? DefaultMode, files);
                return files;
            case { DownwardAPI: { } source }:
                error = DownwardApiFiles(source.Items, source.DefaultMode ?? DefaultMode, kubelet.Node, podIp, files);
                return files;
            case { Projected: { } projected }:
                var mode = projected.DefaultMode ?? DefaultMode;
                foreach (var source in projected.Sources ?? [])
                {
                    error ??= source switch
                    {
                        { ConfigMap: { } configMap } => ConfigMapFiles(kubelet.Cluster, configMap.Name, configMap.Items, configMap.Optional, mode, files),
                        { Secret: { } secret } => SecretFiles(kubelet.Cluster, secret.Name, secret.Items, secret.Optional, mode, files),
                        { DownwardAPI: { } downward } => DownwardApiFiles(downward.Items, mode, kubelet.Node, podIp, files),
                        _ => null,
                    };
                }

                return files;
            default:
                return null;
        }
    }

    private string? ConfigMapFiles(ClusterState cluster, string name, IList<V1KeyToPath>? items, bool? optional, int mode, List<ProjectedFile> files)
    {
        var configMap = cluster.ConfigMaps.Get(new ObjectKey(pod.Metadata.NamespaceProperty, name))?.Value;
        if (configMap is null)
        {
            return optional == true ? null : $"configmap \"{name}\" not found";
        }

        var data = (configMap.Data ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(p.Value ?? string.Empty), StringComparer.Ordinal);
        foreach (var (key, value) in configMap.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return Select(data, items, optional, mode, files, key => $"configmap references non-existent config key: {key}");
    }

    private string? SecretFiles(ClusterState cluster, string name, IList<V1KeyToPath>? items, bool? optional, int mode, List<ProjectedFile> files)
    {
        var secret = cluster.Secrets.Get(new ObjectKey(pod.Metadata.NamespaceProperty, name))?.Value;
        if (secret is null)
        {
            return optional == true ? null : $"secret \"{name}\" not found";
        }

        var data = new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        return Select(data, items, optional, mode, files, key => $"references non-existent secret key: {key}");
    }

    /// <summary>Every key as a file of its name, or only the <c>items</c> at their paths (a missing key is an error
    /// unless the source is optional).</summary>
    private static string? Select(Dictionary<string, byte[]> data, IList<V1KeyToPath>? items, bool? optional, int mode, List<ProjectedFile> files, Func<string, string> missing)
    {
        if (items is not { Count: > 0 })
        {
            files.AddRange(data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ProjectedFile(p.Key, p.Value, mode)));
            return null;
        }

        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var content))
            {
                if (optional == true)
                {
                    continue;
                }

                return missing(item.Key);
            }

            files.Add(new ProjectedFile(item.Path, content, item.Mode ?? mode));
        }

        return null;
    }

    private string? DownwardApiFiles(IList<V1DownwardAPIVolumeFile>? items, int mode, NodeIdentity node, string? podIp, List<ProjectedFile> files)
    {
        foreach (var item in items ?? [])
        {
            string? value;
            if (item.FieldRef is { } fieldRef)
            {
                value = DownwardApi.FieldValue(pod, fieldRef.FieldPath, node.HostIp, podIp);
                if (value is null)
                {
                    return $"unsupported fieldPath: {fieldRef.FieldPath}";
                }
            }
            else if (item.ResourceFieldRef is { } resourceRef && pod.Spec.Containers.FirstOrDefault(c => c.Name == resourceRef.ContainerName) is { } container)
            {
                value = DownwardApi.ResourceValue(container, resourceRef, node);
            }
            else
            {
                continue;
            }

            files.Add(new ProjectedFile(item.Path, Encoding.UTF8.GetBytes(value), item.Mode ?? mode));
        }

        return null;
    }
}
