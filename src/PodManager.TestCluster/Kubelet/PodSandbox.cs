using System.Text;
using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// A pod's directory under the cluster's work directory: its volumes (emptyDir shared by its containers,
/// configMap and secret projections) and, per container, its logs and run directories.
/// </summary>
internal sealed class PodSandbox(string directory, V1Pod pod)
{
    public string Directory { get; } = directory;

    /// <summary>Creates the pod's volumes; returns the kubelet's FailedMount message when one cannot be set up.</summary>
    public string? PrepareVolumes(ClusterState cluster)
    {
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var path = VolumePath(volume.Name);
            System.IO.Directory.CreateDirectory(path);

            // Like the kubelet's emptyDir: writable by whatever user the containers run as.
            UnixFiles.SetMode(path, UnixFiles.WorldWritableDirectory);
            var error = volume switch
            {
                { ConfigMap: { } source } => Project(cluster.ConfigMaps.Get(new ObjectKey(pod.Metadata.NamespaceProperty, source.Name))?.Value?.Data, source.Items, path, source.Optional, $"configmap \"{source.Name}\" not found"),
                { Secret: { } source } => Project(cluster.Secrets.Get(new ObjectKey(pod.Metadata.NamespaceProperty, source.SecretName))?.Value?.Data?.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value)), source.Items, path, source.Optional, $"secret \"{source.SecretName}\" not found"),
                _ => null,
            };
            if (error is not null)
            {
                return $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {error}";
            }
        }

        return null;
    }

    /// <summary>The bind mounts of a container's volumeMounts (subPath included); configMap and secret volumes are read-only.</summary>
    public List<ContainerMount> MountsFor(V1Container container)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
            if (volume is null)
            {
                continue;
            }

            var source = volume.HostPath is { } hostPath ? hostPath.Path : VolumePath(volume.Name);
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                source = Path.Combine(source, mount.SubPath);
                if (volume.HostPath is null && !Path.Exists(source))
                {
                    System.IO.Directory.CreateDirectory(source);
                }
            }

            var readOnly = mount.ReadOnlyProperty == true || volume.ConfigMap is not null || volume.Secret is not null;
            mounts.Add(new ContainerMount(source, mount.MountPath, readOnly, IsFile: File.Exists(source)));
        }

        return mounts;
    }

    /// <summary>Removes a finished run's root and scratch files (its log is kept elsewhere).</summary>
    public static void DeleteRun(string runDirectory) => SafeDirectory.TryDelete(runDirectory);

    public string ContainerDirectory(string containerName) => Path.Combine(Directory, "containers", containerName);

    private string VolumePath(string name) => Path.Combine(Directory, "volumes", name);

    private static string? Project(IDictionary<string, string>? data, IList<V1KeyToPath>? items, string path, bool? optional, string missing)
    {
        if (data is null)
        {
            return optional == true ? null : missing;
        }

        var selected = items is { Count: > 0 } ? items.Select(i => (i.Key, i.Path)) : data.Keys.Select(k => (Key: k, Path: k));
        foreach (var (key, relative) in selected)
        {
            if (!data.TryGetValue(key, out var value))
            {
                return $"configmap references non-existent config key: {key}";
            }

            var file = Path.Combine(path, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, value);
        }

        return null;
    }
}
