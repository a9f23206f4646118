namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// The two shell stages that turn <c>unshare</c> into a container, run with the host's <c>/bin/sh</c>:
/// <code>
/// setpriv --pdeathsig KILL unshare --mount --propagation private --pid --uts -- sh WAITER   # new mount and UTS namespaces
///   setpriv --pdeathsig KILL sh INIT &amp;    # the waiter's first child is PID 1 of a new PID namespace
///     mount --all --fstab RUN/fstab                                 # the root (and /proc) inside the new namespaces
///     exec chroot RUN/root env -i --default-signal ENV... COMMAND   # the container's main process, still PID 1
/// </code>
/// Each stage dies with its parent (parent-death signal), so nothing outlives a cluster that was killed. The
/// stages report on stderr, which the kubelet reads as a control channel: <c>pid N</c> (the host PID of the
/// container's PID 1), then <c>ready</c> just before the command is exec'd, or an error text. The command's own
/// stderr is merged into stdout, the log.
/// <para>
/// Why not <c>unshare --pid --fork --mount-proc</c>: util-linux 2.38's <c>--fork</c> reports exit status 1
/// ("sigprocmask unblock failed") when the child dies by a signal, so SIGTERM/SIGKILL would never show as
/// 143/137, and it never tells the host PID. Here the waiter's <c>wait</c> yields 128+signal and its <c>$!</c> is
/// the host PID that exec (<c>nsenter --target</c>) and signals need. Every process costs ~15 ms on a small VM,
/// so the stages are kept to as few programs as possible.
/// </para>
/// </summary>
internal static class LaunchScript
{
    /// <summary>Outside the PID namespace: starts PID 1, reports its host PID and waits for it, ignoring stray
    /// signals so it only ends with the container. Arguments: the init script, then the init script's arguments.</summary>
    public const string Waiter = """
        trap "" INT TERM HUP QUIT
        setpriv --pdeathsig KILL /bin/sh -c "$0" init "$@" &
        echo "pid $!" >&2
        wait $!
        """;

    /// <summary>PID 1: mounts the container's root and /proc, names its UTS namespace after the pod, checks the
    /// command, then execs it in the root with default signal dispositions and only the container's environment.
    /// Arguments: run directory, host name, uid:gid (empty for root), working directory, the PATH to look the
    /// command up in, the command, then NAME=VALUE pairs and the command line.</summary>
    public const string Init = """
        set -e
        dir=$1; hostname=$2; user=$3; workdir=$4; path=$5; command=$6; shift 6
        root=$dir/root
        mount --all --fstab "$dir/fstab" >&2
        { echo "$hostname" > "$root/proc/sys/kernel/hostname"; } 2>/dev/null || hostname "$hostname" 2>/dev/null || true
        case "$command" in
          /*) target=$root$command ;;
          */*) target=$root$workdir/$command ;;
          *) target=
             IFS=:
             for entry in $path; do
               if [ -f "$root$entry/$command" ] && [ -x "$root$entry/$command" ]; then target=$root$entry/$command; break; fi
             done
             unset IFS
             [ -n "$target" ] || { echo "exec: \"$command\": executable file not found in \$PATH" >&2; exit 1; } ;;
        esac
        [ -f "$target" ] && [ -x "$target" ] || { echo "exec: \"$command\": stat $command: no such file or directory" >&2; exit 1; }
        echo ready >&2
        exec chroot ${user:+"--userspec=$user"} "$root" /usr/bin/env -i "--chdir=$workdir" --default-signal "$@" 2>&1
        """;

    /// <summary>The argument list for <c>setpriv</c>.</summary>
    public static IReadOnlyList<string> Arguments(string runDirectory, string hostname, ContainerUser? user, string workingDirectory, string path, IReadOnlyList<string> environment, IReadOnlyList<string> commandLine)
    {
        var arguments = new List<string> { "--pdeathsig", "KILL", "unshare", "--mount", "--propagation", "private", "--pid", "--uts" };
        if (!NativeMethods.IsRoot)
        {
            arguments.AddRange(["--user", "--map-root-user"]);
        }

        arguments.AddRange(["--", "/bin/sh", "-c", Waiter, Init, runDirectory, hostname, user?.ToString() ?? string.Empty, workingDirectory, path, commandLine[0]]);
        arguments.AddRange(environment);
        arguments.AddRange(commandLine);
        return arguments;
    }
}
