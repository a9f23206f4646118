namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>Absolute paths as a container sees them. The container's root mirrors the host's, so symlinks are
/// resolved against the host.</summary>
internal static class ContainerPath
{
    private const int MaxSymlinkHops = 40;

    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path.StartsWith('/') ? path : "/" + path, "/");
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    public static string Parent(string path)
    {
        var index = path.LastIndexOf('/');
        return index <= 0 ? "/" : path[..index];
    }

    public static string Combine(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    /// <summary>Follows symlinks on the existing part of <paramref name="path"/> (as realpath would); the missing rest is kept.</summary>
    public static string ResolveOnHost(string path)
    {
        var remaining = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var hops = 0;
        while (remaining.TryDequeue(out var part))
        {
            var candidate = Combine(current, part);
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (!info.Exists || info.LinkTarget is not { } target || ++hops > MaxSymlinkHops)
            {
                current = candidate;
                if (!info.Exists)
                {
                    break;
                }

                continue;
            }

            var resolved = Normalize(target.StartsWith('/') ? target : Combine(current, target));
            foreach (var rest in remaining)
            {
                resolved = Combine(resolved, rest);
            }

            remaining = new Queue<string>(resolved.Split('/', StringSplitOptions.RemoveEmptyEntries));
            current = "/";
        }

        foreach (var rest in remaining)
        {
            current = Combine(current, rest);
        }

        return current;
    }
}
