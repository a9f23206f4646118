using System.Diagnostics;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// One run of a container: a real process tree in its own mount and PID namespaces (see <see cref="LaunchScript"/>),
/// whose output is pumped into a <see cref="LogFile"/>. <see cref="Started"/> completes when the command is about
/// to be exec'd (or with the reason it could not start); <see cref="Exited"/> when the process has ended and its
/// output is fully logged.
/// </summary>
internal sealed class ContainerProcess
{
    private const string HostPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly Lock gate = new();
    private readonly Process process;
    private readonly TaskCompletionSource<string?> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? hostPid;
    private int? pendingSignal;
    private bool exited;

    private ContainerProcess(Process process) => this.process = process;

    /// <summary>Completes with null once the command runs, or with the reason it could not be started.</summary>
    public Task<string?> Started => started.Task;

    /// <summary>The exit code (128+signal for a signal), once the process has ended and its output is logged.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>The host PID of the container's PID 1, for <c>nsenter --target</c>; null until known or after exit.</summary>
    public int? HostPid
    {
        get
        {
            lock (gate)
            {
                return exited ? null : hostPid;
            }
        }
    }

    public static async Task<ContainerProcess> StartAsync(ContainerLaunch launch, LogFile log, TimeProvider time, ProcessLauncher launcher)
    {
        var rootFs = ContainerRootFs.Prepare(launch.RunDirectory, launch.Mounts, launch.WorkingDirectory);
        var environment = launch.Environment.Select(pair => $"{pair.Key}={pair.Value}").ToList();
        var path = launch.Environment.LastOrDefault(pair => pair.Key == "PATH").Value ?? HostPath;
        var startInfo = new ProcessStartInfo("setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in LaunchScript.Arguments(rootFs.RunDirectory, launch.Hostname, launch.User, launch.WorkingDirectory, path, environment, launch.CommandLine))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = HostPath;
        var process = await launcher.StartAsync(startInfo);
        process.StandardInput.Close();
        var container = new ContainerProcess(process);
        container.Exited = container.RunAsync(log, time);
        return container;
    }

    /// <summary>Signals PID 1; a signal sent before its PID is known is delivered as soon as it is.</summary>
    public void Signal(int signal)
    {
        lock (gate)
        {
            if (exited)
            {
                return;
            }

            if (hostPid is { } pid)
            {
                NativeMethods.SendSignal(pid, signal);
            }
            else if (pendingSignal != NativeMethods.SigKill)
            {
                pendingSignal = signal;
            }
        }
    }

    private async Task<int> RunAsync(LogFile log, TimeProvider time)
    {
        var logging = LogPump.RunAsync(process.StandardOutput.BaseStream, log, time, CancellationToken.None);
        var control = ReadControlAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(logging, control);
        lock (gate)
        {
            exited = true;
        }

        var exitCode = process.ExitCode;
        process.Dispose();
        return exitCode;
    }

    private async Task ReadControlAsync()
    {
        var errors = new List<string>();
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("pid ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(4), out var pid))
            {
                OnPid(pid);
            }
            else if (line == "ready")
            {
                started.TrySetResult(null);
            }
            else if (line.Length > 0)
            {
                errors.Add(line);
            }
        }

        started.TrySetResult(errors.Count > 0 ? string.Join("; ", errors) : "the container process exited before it started");
    }

    private void OnPid(int pid)
    {
        lock (gate)
        {
            hostPid = pid;
            if (pendingSignal is { } signal)
            {
                NativeMethods.SendSignal(pid, signal);
                pendingSignal = null;
            }
        }
    }
}
