namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// The shell stages that turn <c>unshare</c> into a container. They report on stderr, which the kubelet reads as
/// a control channel: <c>pid N</c> (the host PID of the container's PID 1), then <c>ready</c> just before the
/// command is exec'd, or an error text. The command's own stderr is merged into stdout, the log.
/// <para>
/// Why three stages instead of <c>unshare --pid --fork --mount-proc</c>: util-linux 2.38's <c>--fork</c> reports
/// exit status 1 ("sigprocmask unblock failed") when the child dies by a signal, so SIGTERM/SIGKILL would never
/// show as 143/137, and it never tells the host PID. Here the waiter's <c>wait</c> yields 128+signal and its
/// <c>$!</c> is the host PID that exec (<c>nsenter --target</c>) and signals need.
/// </para>
/// </summary>
internal static class LaunchScript
{
    /// <summary>Runs in the new mount namespace: mounts the root, pivots into it, then starts the PID namespace.
    /// Arguments: run directory, init script, then the init script's arguments.</summary>
    public const string Setup = """
        set -e
        dir=$1; init=$2; shift 2
        mount --all --fstab "$dir/fstab" >&2
        cd "$dir/root"
        pivot_root . .oldroot
        exec unshare --pid -- /bin/sh -c 'trap "" INT TERM HUP QUIT; /bin/sh -c "$0" init "$@" & echo "pid $!" >&2; wait $!' "$init" "$@"
        """;

    /// <summary>PID 1 of the container: mounts its /proc, drops the old root, checks the command, and execs it with
    /// default signal dispositions and only the container's environment. Arguments: working directory, the PATH
    /// to look the command up in, the command, then NAME=VALUE pairs and the command line for env.</summary>
    public const string Init = """
        set -e
        mount -t proc proc /proc
        umount -l /.oldroot
        rmdir /.oldroot
        workdir=$1; path=$2; command=$3; shift 3
        cd "$workdir"
        case "$command" in
          */*) [ -f "$command" ] && [ -x "$command" ] || { echo "exec: \"$command\": stat $command: no such file or directory" >&2; exit 1; } ;;
          *) PATH=$path; command -v "$command" >/dev/null || { echo "exec: \"$command\": executable file not found in \$PATH" >&2; exit 1; } ;;
        esac
        echo ready >&2
        exec /usr/bin/env --default-signal -i "$@" 2>&1
        """;

    /// <summary>The argument list for <c>setsid</c>: a session of its own keeps a terminal's Ctrl-C away from the
    /// containers (the cluster stops them itself), and the waiter ignores stray signals so that it only ends
    /// with the container.</summary>
    public static IReadOnlyList<string> Arguments(string runDirectory, string workingDirectory, string path, IReadOnlyList<string> environment, IReadOnlyList<string> commandLine)
    {
        var arguments = new List<string> { "unshare", "--mount", "--propagation", "private" };
        if (!NativeMethods.IsRoot)
        {
            arguments.AddRange(["--user", "--map-root-user"]);
        }

        arguments.AddRange(["--", "/bin/sh", "-c", Setup, "setup", runDirectory, Init, workingDirectory, path, commandLine[0]]);
        arguments.AddRange(environment);
        arguments.AddRange(commandLine);
        return arguments;
    }
}
