using System.Diagnostics;
using k8s;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public async Task TheExecutablePrintsReadyWritesTheKubeConfigAndStopsCleanlyOnSigterm()
    {
        var directory = Directory.CreateTempSubdirectory("testcluster-cli-").FullName;
        var kubeConfig = Path.Combine(directory, "kubeconfig");
        var workDirectory = Path.Combine(directory, "work");
        Directory.CreateDirectory(workDirectory);
        var marker = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = StartCluster("--kubeconfig", kubeConfig, "--work-dir", workDirectory);
        try
        {
            using var cts = new CancellationTokenSource(Waits.Default);
            var ready = await process.StandardOutput.ReadLineAsync(cts.Token);

            Assert.Matches(@"^ready https://127\.0\.0\.1:\d+$", ready);
            var config = LoopbackGuard.Read(kubeConfig);
            Assert.Equal(ready!["ready ".Length..], config.Clusters.Single().ClusterEndpoint.Server);
            using (var client = new Kubernetes(LoopbackGuard.Load(kubeConfig)))
            {
                var pod = Pods.Shell("cli-sleeper", "unused");
                pod.Spec.Containers[0].Command = ["sleep", marker];
                await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
                await Waits.ForRunningAsync(client, "default", "cli-sleeper");
            }

            Assert.NotEmpty(HostProcesses.WithArgument(marker));
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
            await process.WaitForExitAsync(cts.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync(cts.Token));
            Assert.Empty(HostProcesses.WithArgument(marker));
            Assert.Empty(Directory.EnumerateFileSystemEntries(workDirectory));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AMissingKubeConfigOptionIsAUsageError()
    {
        using var process = StartCluster("--port", "0");
        using var cts = new CancellationTokenSource(Waits.Default);

        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--kubeconfig is required", await process.StandardError.ReadToEndAsync(cts.Token));
    }

    private static Process StartCluster(params string[] arguments)
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
}
