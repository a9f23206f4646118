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
    public async Task AKilledClusterTakesItsContainersWithIt()
    {
        var marker = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await ClusterProcess.StartAsync();
        using (var client = new Kubernetes(LoopbackGuard.Load(cluster.KubeConfig)))
        {
            await client.CoreV1.CreateNamespacedPodAsync(Pods.Command("orphan-candidate", "sleep", marker), "default");
            await Waits.ForRunningAsync(client, "default", "orphan-candidate");
        }

        var containers = HostProcesses.WithArgument(marker).Select(System.Diagnostics.Process.GetProcessById).ToList();
        cluster.Process.Kill();
        using var cts = new CancellationTokenSource(Waits.Default);
        foreach (var container in containers)
        {
            await container.WaitForExitAsync(cts.Token);
        }

        Assert.NotEmpty(containers);
        Assert.Empty(HostProcesses.WithArgument(marker));
    }

    [Fact]
    public async Task StartingRemovesTheDirectoriesOfClustersThatNoLongerRun()
    {
        var parent = Directory.CreateTempSubdirectory("testcluster-orphans-").FullName;
        try
        {
            var orphan = Directory.CreateDirectory(Path.Combine(parent, "podmanager-testcluster-000000000001")).FullName;
            await File.WriteAllTextAsync(Path.Combine(orphan, "owner.pid"), "2147483646");
            var unknown = Directory.CreateDirectory(Path.Combine(parent, "podmanager-testcluster-000000000002")).FullName;

            await using (await TestClusterServer.StartAsync(new TestClusterOptions { WorkDirectory = parent }))
            {
                Assert.False(Directory.Exists(orphan));
                Assert.True(Directory.Exists(unknown));
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
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
