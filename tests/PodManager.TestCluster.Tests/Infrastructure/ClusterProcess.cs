using System.Diagnostics;
using System.Globalization;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>The test cluster executable run as a child process, as a user would start it.</summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly Process process;

    private ClusterProcess(Process process, string directory, string kubeConfig, string readyLine)
    {
        this.process = process;
        Directory = directory;
        KubeConfig = kubeConfig;
        ReadyLine = readyLine;
    }

    public string Directory { get; }

    public string KubeConfig { get; }

    public string ReadyLine { get; }

    public Process Process => process;

    /// <summary>Starts the cluster with its work directory and kubeconfig in a fresh temporary directory, and waits for its <c>ready</c> line.</summary>
    public static async Task<ClusterProcess> StartAsync(params string[] options)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("testcluster-process-").FullName;
        var kubeConfig = Path.Combine(directory, "kubeconfig");
        var work = Path.Combine(directory, "work");
        System.IO.Directory.CreateDirectory(work);
        var process = Start(["--kubeconfig", kubeConfig, "--work-dir", work, .. options]);
        using var cts = new CancellationTokenSource(Waits.Default);
        var ready = await process.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException($"The cluster exited: {await process.StandardError.ReadToEndAsync(cts.Token)}");
        return new ClusterProcess(process, directory, kubeConfig, ready);
    }

    /// <summary>Starts the executable with exactly these arguments.</summary>
    public static Process Start(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PodManager.TestCluster.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)!;
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]).WaitForExit();
        using var cts = new CancellationTokenSource(Waits.Default);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>CPU seconds used by the cluster itself and by its reaped children (the containers), and its peak memory.</summary>
    public (double OwnCpuSeconds, double ChildrenCpuSeconds, long PeakResidentBytes) Usage()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture) / 100.0;
        var peak = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(peak.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Ticks(14) + Ticks(15), Ticks(16) + Ticks(17), kilobytes * 1024);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
