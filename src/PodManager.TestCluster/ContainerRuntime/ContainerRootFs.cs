using System.Text;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Builds a container's root directory and the fstab that fills it, without changing anything on the host outside
/// the run directory.
/// <para>
/// The root is a tree of empty placeholders inside the run directory: one per entry of the host's <c>/</c>, each
/// later covered by a recursive bind mount of the real entry (symlinks are copied). A mount path that does not
/// exist on the host, such as <c>/airflow/xcom</c>, is created as a placeholder too: every directory on its way is
/// "shadowed" (made of placeholders instead of bound whole), so the new directory lives only in the run
/// directory. <c>/dev</c> is always built from placeholders bound to a few host devices plus a private
/// <c>/dev/shm</c> and the per-container <c>/dev/termination-log</c>; <c>/proc</c> is a fresh proc mounted by
/// the container's PID 1. The mounts happen inside the container's private mount namespace, so the host never
/// sees them; deleting the run directory removes every trace.
/// </para>
/// </summary>
internal sealed class ContainerRootFs
{
    private static readonly string[] Devices = ["null", "zero", "full", "random", "urandom", "tty"];
    private static readonly string[] Unshadowable = ["/proc", "/sys"];

    private readonly string root;
    private readonly StringBuilder fstab = new();
    private readonly HashSet<string> shadowed = new(StringComparer.Ordinal) { "/" };

    private ContainerRootFs(string runDirectory)
    {
        RunDirectory = runDirectory;
        root = Path.Combine(runDirectory, "root");
    }

    public string RunDirectory { get; }

    public string FstabPath => Path.Combine(RunDirectory, "fstab");

    /// <summary>Lays out the root under <paramref name="runDirectory"/> and writes its fstab.</summary>
    /// <exception cref="ArgumentException">A mount targets /proc or /sys.</exception>
    public static ContainerRootFs Prepare(string runDirectory, IReadOnlyList<ContainerMount> mounts, string workingDirectory)
    {
        var rootFs = new ContainerRootFs(runDirectory);
        rootFs.Build(mounts, workingDirectory);
        return rootFs;
    }

    private void Build(IReadOnlyList<ContainerMount> mounts, string workingDirectory)
    {
        var normalized = mounts.Select(m => m with { Target = ContainerPath.Normalize(m.Target) }).OrderBy(m => m.Target.Count(c => c == '/')).ToList();
        var created = new List<(string Path, bool IsFile)>();
        foreach (var mount in normalized)
        {
            if (Unshadowable.Any(p => mount.Target == p || mount.Target.StartsWith(p + "/", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"mount path {mount.Target} is not allowed: it is inside {mount.Target.Split('/')[1]}");
            }

            if (normalized.FirstOrDefault(outer => IsBelow(mount.Target, outer.Target)) is { } outerMount)
            {
                // The mount point has to exist inside the volume it is nested in.
                CreateInsideVolume(outerMount, mount);
                continue;
            }

            created.Add((mount.Target, mount.IsFile));
        }

        // The runtime makes a missing working directory after mounting, so one below a volume (the container's own
        // /tmp included) is made inside it.
        var workingPath = ContainerPath.Normalize(workingDirectory);
        if (normalized.LastOrDefault(m => m.Target == workingPath || IsBelow(workingPath, m.Target)) is { } volume)
        {
            if (volume.Target != workingPath)
            {
                Directory.CreateDirectory(Path.Combine(volume.Source, workingPath[(volume.Target.Length + 1)..]));
            }
        }
        else
        {
            created.Add((workingPath, false));
        }
        var missing = created.Select(c => (Path: ContainerPath.ResolveOnHost(c.Path), c.IsFile)).Where(c => !c.Path.StartsWith("/dev/", StringComparison.Ordinal)).ToList();
        foreach (var (path, _) in missing)
        {
            MarkShadowed(path);
        }

        BuildShadow("/");
        BuildDev(normalized);

        Directory.CreateDirectory(Path.Combine(root, "proc"));
        AddEntry("proc", Path.Combine(root, "proc"), "nosuid,nodev,noexec", "proc");
        foreach (var (path, isFile) in missing.Concat(created.Where(c => c.Path.StartsWith("/dev/", StringComparison.Ordinal))))
        {
            CreatePlaceholder(path, isFile);
        }

        foreach (var mount in normalized)
        {
            AddEntry(mount.Source, InRoot(ContainerPath.ResolveOnHost(mount.Target)), mount.ReadOnly ? "bind,ro" : "bind");
        }

        File.WriteAllText(FstabPath, fstab.ToString());
    }

    /// <summary>Shadows every ancestor of the deepest host directory that exists on the way to <paramref name="path"/>.</summary>
    private void MarkShadowed(string path)
    {
        var existing = path;
        while (existing != "/" && !Directory.Exists(existing) && !File.Exists(existing))
        {
            existing = ContainerPath.Parent(existing);
        }

        if (existing == path)
        {
            return;
        }

        for (var dir = existing; ; dir = ContainerPath.Parent(dir))
        {
            shadowed.Add(dir);
            if (dir == "/")
            {
                return;
            }
        }
    }

    private void BuildShadow(string directory)
    {
        Directory.CreateDirectory(InRoot(directory));
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var hostPath = ContainerPath.Combine(directory, entry.Name);
            if (hostPath is "/dev" or "/proc")
            {
                continue;
            }

            var placeholder = InRoot(hostPath);
            if (entry.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(placeholder, linkTarget);
            }
            else if (shadowed.Contains(hostPath))
            {
                BuildShadow(hostPath);
            }
            else if (entry is DirectoryInfo)
            {
                Directory.CreateDirectory(placeholder);
                AddEntry(hostPath, placeholder, "rbind,nofail");
            }
            else
            {
                File.WriteAllBytes(placeholder, []);
                AddEntry(hostPath, placeholder, "bind,nofail");
            }
        }
    }

    private void BuildDev(IReadOnlyList<ContainerMount> mounts)
    {
        var dev = InRoot("/dev");
        Directory.CreateDirectory(Path.Combine(dev, "pts"));
        Directory.CreateDirectory(Path.Combine(dev, "shm"));
        foreach (var device in Devices)
        {
            File.WriteAllBytes(Path.Combine(dev, device), []);
            AddEntry("/dev/" + device, Path.Combine(dev, device), "bind");
        }

        File.CreateSymbolicLink(Path.Combine(dev, "fd"), "/proc/self/fd");
        File.CreateSymbolicLink(Path.Combine(dev, "stdin"), "/proc/self/fd/0");
        File.CreateSymbolicLink(Path.Combine(dev, "stdout"), "/proc/self/fd/1");
        File.CreateSymbolicLink(Path.Combine(dev, "stderr"), "/proc/self/fd/2");
        if (!mounts.Any(m => m.Target == "/dev/shm"))
        {
            AddEntry("shm", Path.Combine(dev, "shm"), "nosuid,nodev,mode=1777", "tmpfs");
        }
    }

    private void CreatePlaceholder(string path, bool isFile)
    {
        var placeholder = InRoot(path);
        if (isFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(placeholder)!);
            if (!File.Exists(placeholder))
            {
                File.WriteAllBytes(placeholder, []);
            }
        }
        else
        {
            Directory.CreateDirectory(placeholder);
        }
    }

    private static void CreateInsideVolume(ContainerMount outer, ContainerMount inner)
    {
        var relative = inner.Target[(outer.Target.Length + 1)..];
        var inside = Path.Combine(outer.Source, relative);
        if (inner.IsFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(inside)!);
            if (!File.Exists(inside))
            {
                File.WriteAllBytes(inside, []);
            }
        }
        else
        {
            Directory.CreateDirectory(inside);
        }
    }

    private static bool IsBelow(string path, string ancestor) =>
        path != ancestor && path.StartsWith(ancestor == "/" ? "/" : ancestor + "/", StringComparison.Ordinal);

    private string InRoot(string containerPath) => containerPath == "/" ? root : root + containerPath;

    private void AddEntry(string source, string target, string options, string type = "none") =>
        fstab.Append(Escape(source)).Append(' ').Append(Escape(target)).Append(' ').Append(type).Append(' ').Append(options).Append(" 0 0\n");

    /// <summary>fstab fields escape whitespace and backslashes as octal.</summary>
    private static string Escape(string field) =>
        field.Replace("\\", "\\134").Replace(" ", "\\040").Replace("\t", "\\011").Replace("\n", "\\012");
}
