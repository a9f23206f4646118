using System.Globalization;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Kubelet;

/// <summary>One file of a configMap, secret, downwardAPI or projected volume: its path in the volume, content and mode.</summary>
internal sealed record ProjectedFile(string Path, byte[] Content, int Mode);

/// <summary>
/// Writes the files of a configMap, secret, downwardAPI or projected volume as the kubelet's AtomicWriter lays them
/// out: the files in a timestamped directory <c>..2006_01_02_15_04_05.NNNNNNNNN</c>, a symlink <c>..data</c> to it,
/// and for each top-level entry a symlink <c>name -&gt; ..data/name</c> (what <c>ls -la</c> in a real pod shows).
/// Each file gets its mode (<c>items[].mode</c>, else the volume's <c>defaultMode</c>, 0644 by default).
/// </summary>
internal static class VolumeProjection
{
    public static void Write(string volumeDirectory, IReadOnlyList<ProjectedFile> files, DateTimeOffset now)
    {
        var stamp = ".." + now.UtcDateTime.ToString("yyyy_MM_dd_HH_mm_ss.fffffff'00'", CultureInfo.InvariantCulture);
        var data = Path.Combine(volumeDirectory, stamp);
        Directory.CreateDirectory(data);
        UnixFiles.SetMode(data, UnixFiles.Executable);
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(data, file.Path));
            if (!target.StartsWith(data + "/", StringComparison.Ordinal))
            {
                // Validation refuses such paths; never write outside the volume even so.
                throw new IOException($"the path {file.Path} leaves the volume");
            }

            CreateDirectories(data, Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, file.Content);
            UnixFiles.SetMode(target, (UnixFileMode)file.Mode);
        }

        File.CreateSymbolicLink(Path.Combine(volumeDirectory, "..data"), stamp);
        foreach (var top in files.Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal))
        {
            File.CreateSymbolicLink(Path.Combine(volumeDirectory, top), Path.Combine("..data", top));
        }
    }

    private static void CreateDirectories(string root, string directory)
    {
        if (directory.Length <= root.Length || Directory.Exists(directory))
        {
            return;
        }

        CreateDirectories(root, Path.GetDirectoryName(directory)!);
        Directory.CreateDirectory(directory);
        UnixFiles.SetMode(directory, UnixFiles.Executable);
    }
}
