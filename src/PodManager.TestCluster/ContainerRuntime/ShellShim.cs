namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Debian's <c>/bin/sh</c> is dash, whose <c>kill</c> rejects signal names such as <c>SIGINT</c>; the shells of
/// container images (busybox ash, bash) accept them, and Airflow stops its XCom sidecar with exactly
/// <c>kill -s SIGINT 1</c>. Inside containers the dash binary is therefore covered by this shim, a script that
/// runs bash in its normal mode (bash called as <c>sh</c> would be POSIX mode, which rejects the names too).
/// </summary>
internal sealed record ShellShim(string Dash, string Script)
{
    /// <summary>Writes the shim into <paramref name="directory"/>; null when the host's sh is not dash or has no bash.</summary>
    public static ShellShim? Create(string directory)
    {
        var shell = ContainerPath.ResolveOnHost("/bin/sh");
        var bash = ContainerPath.ResolveOnHost("/bin/bash");
        if (Path.GetFileName(shell) != "dash" || !File.Exists(shell) || !File.Exists(bash))
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        var script = Path.Combine(directory, "sh");
        File.WriteAllText(script, $"#!{bash}\nexec {bash} \"$@\"\n");
        UnixFiles.SetMode(script, UnixFiles.Executable);

        return new ShellShim(shell, script);
    }

    public ContainerMount Mount => new(Script, Dash, ReadOnly: true, IsFile: true);
}
