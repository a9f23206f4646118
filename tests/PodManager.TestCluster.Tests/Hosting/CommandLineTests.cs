using k8s;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public async Task TheExecutablePrintsReadyWritesTheKubeConfigAndStopsCleanlyOnSigterm()
    {
        var marker = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await ClusterProcess.StartAsync();

        Assert.Matches(@"^ready https://127\.0\.0\.1:\d+$", cluster.ReadyLine);
        var config = LoopbackGuard.Read(cluster.KubeConfig);
        Assert.Equal(cluster.ReadyLine["ready ".Length..], config.Clusters.Single().ClusterEndpoint.Server);
        using (var client = new Kubernetes(LoopbackGuard.Load(cluster.KubeConfig)))
        {
            await client.CoreV1.CreateNamespacedPodAsync(Pods.Command("cli-sleeper", "sleep", marker), "default");
            await Waits.ForRunningAsync(client, "default", "cli-sleeper");
        }

        Assert.NotEmpty(HostProcesses.WithArgument(marker));
        var exitCode = await cluster.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, await cluster.Process.StandardOutput.ReadToEndAsync());
        Assert.Empty(HostProcesses.WithArgument(marker));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cluster.Directory, "work")));
    }

    [Fact]
    public async Task AMissingKubeConfigOptionIsAUsageError()
    {
        using var process = ClusterProcess.Start("--port", "0");
        using var cts = new CancellationTokenSource(Waits.Default);

        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--kubeconfig is required", await process.StandardError.ReadToEndAsync(cts.Token));
    }
}
