using k8s.KubeConfigModels;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManager.Engine.Resilience;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("podmanager-connections-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private KubeConfigVariants Variants => new(cluster.KubeConfig, directory);

    private K8SConfiguration Load() => Variants.Load();

    private string Write(string name, K8SConfiguration config) => Variants.Write(name, config);

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
    public async Task ACertificateFromAnotherAuthorityIsRejectedAtOnceWithAdviceAboutTheCa()
    {
        var path = Variants.WithCertificateAuthorityData("other-ca", KubeConfigVariants.OtherAuthorityData());
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = path }, new PodManagerOptions { Retry = ClusterFixture.PatientRetry });
        var attempts = new List<ApiCall>();

        PodManagerException error;
        using (ApiCallListener.Listen(attempts.Add))
        {
            error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ReadPodAsync("default", "x", CancellationToken.None));
        }

        Assert.Equal("CertificateRejected", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.AuthenticationError, error.Category);
        Assert.True(error.IsFatal);
        Assert.Contains(manager.Connection.Server, error.Message, StringComparison.Ordinal);
        Assert.Contains("certificate-authority-data", error.Message, StringComparison.Ordinal);
        Assert.Single(attempts);
    }

    [Fact]
    public async Task TheSharedWatchDoesNotRetryARejectedCertificate()
    {
        var path = Variants.WithCertificateAuthorityData("other-ca-watch", KubeConfigVariants.OtherAuthorityData());
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = path }, new PodManagerOptions { Retry = ClusterFixture.PatientRetry });

        // Bounded so that a watch that retries for ever fails this test instead of hanging it.
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.AwaitPodCompletionAsync("default", "x", null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal("CertificateRejected", error.ErrorId);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("aGVsbG8sIG5vdCBhIGNlcnRpZmljYXRl")] // "hello, not a certificate"
    [InlineData("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=")] // a PEM block with no certificate in it
    public void CertificateAuthorityDataThatHoldsNoCertificateIsInvalidCertificateAuthority(string data)
    {
        var path = Variants.WithCertificateAuthorityData("bad-ca", data);

        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = path }));

        Assert.Equal("InvalidCertificateAuthority", error.ErrorId);
        Assert.True(error.IsFatal);
        Assert.Contains("certificate-authority-data", error.Message, StringComparison.Ordinal);
        Assert.Contains("'testcluster'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(data, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateAuthorityFileThatIsNotThereIsInvalidCertificateAuthority()
    {
        var config = Load();
        var endpoint = config.Clusters.First().ClusterEndpoint;
        endpoint.CertificateAuthorityData = null;
        endpoint.CertificateAuthority = Path.Combine(directory, "missing", "ca.crt");
        var path = Write("missing-ca-file", config);

        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = path }));

        Assert.Equal("InvalidCertificateAuthority", error.ErrorId);
        Assert.Contains("ca.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatRefusesTheFirstCallFailsOnceTheConnectBudgetIsSpent()
    {
        var path = Variants.Refusing("refusing");
        var clock = new ManualTime();
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = path }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry with { ConnectBudget = TimeSpan.FromSeconds(2.5) },
            TimeProvider = clock,
        });
        var attempts = new List<ApiCall>();

        PodManagerException error;

        // Each attempt takes a second on this clock: the third ends past the budget (100 and 200 ms back-offs aside).
        using (ApiCallListener.Listen(call =>
        {
            attempts.Add(call);
            clock.Advance(TimeSpan.FromSeconds(1));
        }))
        {
            error = await Assert.ThrowsAsync<PodManagerException>(() => manager.GetServerVersionAsync(CancellationToken.None));
        }

        Assert.Equal("ClusterUnreachable", error.ErrorId);
        Assert.True(error.IsFatal);
        Assert.Contains(manager.Connection.Server, error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.NotNull(a.Failure));
    }

    [Fact]
    public async Task AServerThatHasAnsweredOnceGetsEveryAttemptWhenItStops()
    {
        await using var server = await TestClusterServer.StartAsync(new TestClusterOptions());
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = LoopbackGuard.Check(server.KubeConfigPath) }, new PodManagerOptions
        {
            Retry = ClusterFixture.FastRetry with { ConnectBudget = TimeSpan.Zero },
        });
        await manager.GetServerVersionAsync(CancellationToken.None);
        await server.DisposeAsync();
        var attempts = new List<ApiCall>();

        PodManagerException error;
        using (ApiCallListener.Listen(attempts.Add))
        {
            error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ReadPodAsync("default", "x", CancellationToken.None));
        }

        Assert.Equal("ClusterUnreachable", error.ErrorId);
        Assert.Equal(RetryOptions.Default.MaxAttempts, attempts.Count);
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
