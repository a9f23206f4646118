using System.Diagnostics;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Starts a command inside a running container: <c>nsenter --target PID1 --mount --pid --root</c> puts it in the
/// container's mount namespace and root (its file system, its volumes) and PID namespace (so <c>kill 1</c>
/// reaches the container's main process), with the container's environment and working directory and default
/// signal dispositions.
/// </summary>
internal static class ExecProcess
{
    public static Process Start(int hostPid, ContainerLaunch launch, IReadOnlyList<string> command)
    {
        var startInfo = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        // --root: the container's main process runs chrooted into its root, and so does the command.
        var arguments = new List<string> { "--target", hostPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mount", "--pid", "--uts", "--root" };
        if (!NativeMethods.IsRoot)
        {
            arguments.AddRange(["--user", "--preserve-credentials"]);
        }

        if (launch.User is { } user)
        {
            arguments.AddRange(["--setuid", user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--setgid", user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["--", "/usr/bin/env", "-i", $"--chdir={launch.WorkingDirectory}", "--default-signal"]);
        arguments.AddRange(launch.Environment.Select(pair => $"{pair.Key}={pair.Value}"));
        arguments.AddRange(command);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return Process.Start(startInfo) ?? throw new InvalidOperationException("nsenter did not start");
    }
}
