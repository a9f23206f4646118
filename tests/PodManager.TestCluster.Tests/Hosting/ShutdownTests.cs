using k8s;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Hosting;

public sealed class ShutdownTests
{
    [Fact]
    public async Task DisposeKillsEveryContainerAndRemovesTheTemporaryFiles()
    {
        var marker = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var server = await TestClusterServer.StartAsync(new TestClusterOptions());
        using (var client = new Kubernetes(LoopbackGuard.Load(server.KubeConfigPath)))
        {
            var pod = Pods.Shell("sleeper", "unused");
            pod.Spec.Containers[0].Command = ["sleep", marker];
            await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
            await Waits.ForRunningAsync(client, "default", "sleeper");
        }

        Assert.NotEmpty(HostProcesses.WithArgument(marker));
        Assert.True(File.Exists(server.KubeConfigPath));

        await server.DisposeAsync();

        Assert.Empty(HostProcesses.WithArgument(marker));
        Assert.False(Directory.Exists(server.WorkDirectory));
        Assert.False(File.Exists(server.KubeConfigPath));
    }

    [Fact]
    public async Task SeveralClustersRunSideBySide()
    {
        await using var first = await TestClusterServer.StartAsync(new TestClusterOptions());
        await using var second = await TestClusterServer.StartAsync(new TestClusterOptions());
        using var firstClient = new Kubernetes(LoopbackGuard.Load(first.KubeConfigPath));
        using var secondClient = new Kubernetes(LoopbackGuard.Load(second.KubeConfigPath));

        await firstClient.CoreV1.CreateNamespacedPodAsync(Pods.Shell("only-in-first", "true"), "default");

        Assert.NotEqual(first.Address, second.Address);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Single((await firstClient.CoreV1.ListNamespacedPodAsync("default")).Items);
        Assert.Empty((await secondClient.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task AGivenKubeConfigPathIsWrittenWithEveryContext()
    {
        var path = Path.Combine(Path.GetTempPath(), $"testcluster-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            await using var server = await TestClusterServer.StartAsync(new TestClusterOptions { KubeConfigPath = path });

            var config = LoopbackGuard.Read(path);
            Assert.Equal("testcluster", config.CurrentContext);
            Assert.Equal(
                ["testcluster", "testcluster-readonly", "testcluster-podmanager", "testcluster-nolist", "testcluster-expiring", "testcluster-tokenfile", "testcluster-exec"],
                config.Contexts.Select(c => c.Name));
            Assert.All(config.Contexts, c => Assert.Equal(c.Name, c.ContextDetails.User));
            Assert.All(config.Contexts, c => Assert.Equal("default", c.ContextDetails.Namespace));
            Assert.Equal(server.Address.ToString().TrimEnd('/'), Assert.Single(config.Clusters).ClusterEndpoint.Server);
            Assert.Equal(server.Token, config.Users.Single(u => u.Name == "testcluster").UserCredentials.Token);
            Assert.False(string.IsNullOrEmpty(config.Clusters.Single().ClusterEndpoint.CertificateAuthorityData));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheGuardRefusesAKubeConfigThatIsNotOnLoopback()
    {
        var path = Path.Combine(Path.GetTempPath(), $"remote-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: remote
              cluster:
                server: https://10.0.0.1:6443
            users:
            - name: remote
              user:
                token: x
            contexts:
            - name: remote
              context:
                cluster: remote
                user: remote
            current-context: remote
            """);
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => LoopbackGuard.Load(path));
            Assert.Contains("is not on 127.0.0.1", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
