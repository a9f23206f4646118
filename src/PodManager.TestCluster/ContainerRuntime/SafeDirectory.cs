namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Recursive deletion that refuses to descend into anything mounted. Container roots are made of bind mounts of
/// the host's directories; those mounts live only in the containers' private mount namespaces, but if one ever
/// became visible here a plain recursive delete would wipe the host, so every deletion checks first.
/// </summary>
internal static class SafeDirectory
{
    public static void Delete(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        if (!Directory.Exists(full))
        {
            return;
        }

        var prefix = full + "/";
        if (MountPoints().Any(mount => mount == full || mount.StartsWith(prefix, StringComparison.Ordinal)))
        {
            throw new IOException($"Refusing to delete {full}: something is mounted below it.");
        }

        Directory.Delete(full, recursive: true);
    }

    /// <summary>Deletes, ignoring a directory that vanished or is still in use; reports whether it is gone.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            Delete(path);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists(path);
        }
    }

    private static IEnumerable<string> MountPoints()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4)
            {
                yield return Unescape(fields[4]);
            }
        }
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
