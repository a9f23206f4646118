using k8s;
using k8s.KubeConfigModels;
using PodManager.Engine.Connections;
using Xunit;

namespace PodManager.Engine.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("podmanager-connections-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private K8SConfiguration Load() => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(cluster.KubeConfig));

    private string Write(string name, K8SConfiguration config)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, KubernetesYaml.Serialize(config));
        return LoopbackGuard.Check(path);
    }

    [Fact]
    public async Task KubeconfigEnvironmentFilesAreMergedAndTheContextNamespaceIsTheDefault()
    {
        var full = Load();
        var credentials = Write("credentials", new K8SConfiguration { Clusters = full.Clusters, Users = full.Users });
        var contexts = Write("contexts", new K8SConfiguration
        {
            CurrentContext = "work",
            Contexts = [new Context { Name = "work", ContextDetails = new ContextDetails { Cluster = full.Clusters.First().Name, User = full.Users.First().Name, Namespace = "kube-system" } }],
        });

        var saved = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", $"{contexts}{Path.PathSeparator}{Path.Combine(directory, "absent")}{Path.PathSeparator}{credentials}");
        try
        {
            await using var manager = PodManager.Create(new ConnectionSettings());
            Assert.Equal("work", manager.Connection.Context);
            Assert.Equal("kube-system", manager.Connection.DefaultNamespace);
            var pod = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
            Assert.Equal("kube-system", pod.Namespace);
            await manager.DeletePodAsync(pod.Namespace, pod.Name, 0, wait: true, TestPods.Generous, CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", saved);
        }
    }

    [Fact]
    public void AnUnknownContextIsContextNotFoundListingTheKnownOnes()
    {
        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig, Context = "elsewhere" }));
        Assert.Equal("ContextNotFound", error.ErrorId);
        Assert.Contains("testcluster", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsFatal);
    }

    [Fact]
    public void AMissingFileIsKubeConfigNotFound()
    {
        var path = Path.Combine(directory, "missing");
        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = path }));
        Assert.Equal("KubeConfigNotFound", error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageIsInvalidKubeConfig()
    {
        var path = Path.Combine(directory, "garbage");
        File.WriteAllText(path, "{{{ not yaml");
        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = path }));
        Assert.Equal("InvalidKubeConfig", error.ErrorId);
    }

    [Fact]
    public async Task KubeconfigContentWorksWithoutAFile()
    {
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigContent = File.ReadAllText(cluster.KubeConfig) });
        Assert.Null(manager.Connection.KubeConfig);
        Assert.StartsWith("content:", manager.Connection.Key, StringComparison.Ordinal);
        Assert.Null(await manager.TryReadPodAsync("default", "nothing-here", CancellationToken.None));
    }

    [Fact]
    public async Task AWrongTokenIsUnauthorizedAndTheTokenNeverAppears()
    {
        var config = Load();
        const string Wrong = "wrong-token-0123456789";
        config.Users.First().UserCredentials.Token = Wrong;
        var path = Write("wrong-token", config);
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = path }, new PodManagerOptions { Retry = ClusterFixture.FastRetry });
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ReadPodAsync("default", "x", CancellationToken.None));
        Assert.Equal("Unauthorized", error.ErrorId);
        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain(Wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Server.Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheRegistrySharesOneEngineAcrossCallersOfTheSameConnection()
    {
        var first = PodManagerRegistry.Get(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig });
        var second = PodManagerRegistry.Get(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig, Context = "testcluster" });
        Assert.Same(first, second);
        Assert.Same(first, PodManagerRegistry.Get(first.Connection));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}
