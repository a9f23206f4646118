using System.Net.Http.Headers;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManager.Engine.Resilience;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class SecretTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("podmanager-secrets-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task NothingAFailingCallProducesContainsATokenOrKey()
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(cluster.KubeConfig));
        var secrets = new[] { cluster.Server.Token, cluster.Server.ReadOnlyToken, config.Clusters.First().ClusterEndpoint.CertificateAuthorityData };
        var produced = new StringBuilder();
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig, Context = "testcluster-readonly" }, new PodManagerOptions { Retry = ClusterFixture.FastRetry });
        using (ApiCallListener.Listen(call => produced.AppendLine(call.ToString())))
        {
            foreach (var attempt in new Func<Task>[]
            {
                () => manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None),
                () => manager.DeletePodAsync("default", "x", 0, wait: false, null, CancellationToken.None),
                () => manager.ReadPodAsync("default", "missing", CancellationToken.None),
            })
            {
                var error = await Assert.ThrowsAsync<PodManagerException>(attempt);
                produced.AppendLine(error.ToString()).AppendLine(error.Diagnosis?.ToString());
            }
        }

        var text = produced.ToString();
        Assert.Contains("POST /api/v1/namespaces/default/pods?fieldValidation=Strict -> 403", text, StringComparison.Ordinal);
        Assert.Contains("Forbidden", text, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public void TheGraphWalkFindsATokenWhereKubernetesClientKeepsIt()
    {
        // KubernetesClient's error for a status keeps the request, headers and all.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1/api/v1/namespaces/default/pods/x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "walker-self-test-0123456789");
        var kept = new HttpOperationException("Operation returned an invalid status code 'Forbidden'") { Request = new HttpRequestMessageWrapper(request, null) };
        var thrown = new PodManagerException(ErrorIds.Forbidden, "Reading pod default/x failed.", kept);

        Assert.Contains(ObjectGraph.Strings(thrown), text => text.Contains("walker-self-test-0123456789", StringComparison.Ordinal));
        Assert.DoesNotContain(ObjectGraph.Strings(new PodManagerException(ErrorIds.Forbidden, "Reading pod default/x failed.")),
            text => text.Contains("walker-self-test-0123456789", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoExceptionAFailingCallThrowsCarriesACredentialAtAnyDepth()
    {
        var variants = new KubeConfigVariants(cluster.KubeConfig, directory);
        var config = variants.Load();
        const string WrongToken = "wrong-token-for-the-graph-walk-0123456789";
        config.Users.First(u => u.Name == "testcluster").UserCredentials.Token = WrongToken;
        var wrongToken = variants.Write("wrong-token", config);
        var secrets = new[] { cluster.Server.Token, cluster.Server.ReadOnlyToken, WrongToken, variants.Load().Clusters.First().ClusterEndpoint.CertificateAuthorityData };
        PodManager Engine(string path, string? context = null) =>
            PodManager.Create(new ConnectionSettings { KubeConfigPath = path, Context = context }, new PodManagerOptions { Retry = ClusterFixture.FastRetry });

        await using var full = Engine(cluster.KubeConfig);
        await using var readOnly = Engine(cluster.KubeConfig, "testcluster-readonly");
        await using var rejected = Engine(wrongToken);
        await using var refused = Engine(variants.Refusing("refusing"));
        await using var untrusted = Engine(variants.WithCertificateAuthorityData("other-ca", KubeConfigVariants.OtherAuthorityData()));
        var invalid = TestPods.Shell("true", "Not_A_Valid_Name");
        await cluster.Server.Admin.AddFaultAsync(FaultRule.ForStatus(500, "GET", "/api/v1/namespaces/default/pods/broken", count: RetryOptions.Default.MaxAttempts));

        var errors = new List<PodManagerException>();
        foreach (var failing in new Func<Task>[]
        {
            () => readOnly.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None),         // 403
            () => rejected.ReadPodAsync("default", "x", CancellationToken.None),                     // 401
            () => full.ReadPodAsync("default", "missing", CancellationToken.None),                   // 404
            () => full.CreatePodAsync(invalid, CancellationToken.None),                              // 422
            () => full.ReadPodAsync("default", "broken", CancellationToken.None),                    // 500, after every attempt
            () => full.ExecAsync("default", "missing", "base", ["true"], null, null, CancellationToken.None), // exec refused
            () => refused.ReadPodAsync("default", "x", CancellationToken.None),                      // connection refused
            () => untrusted.ReadPodAsync("default", "x", CancellationToken.None),                    // certificate rejected
        })
        {
            errors.Add(await Assert.ThrowsAsync<PodManagerException>(failing));
        }

        Assert.Equal(["Forbidden", "Unauthorized", "PodNotFound", "InvalidPodSpec", "ApiUnavailable"], errors.Take(5).Select(e => e.ErrorId));
        foreach (var error in errors)
        {
            var reachable = ObjectGraph.Strings(error);
            Assert.All(secrets, secret => Assert.DoesNotContain(reachable, text => text.Contains(secret, StringComparison.Ordinal)));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AnExecCredentialPluginSuppliesTheToken()
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(cluster.KubeConfig));
        var plugin = Path.Combine(directory, "credential-plugin");
        var credential = $"{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{cluster.Server.Token}\"}}}}";
        File.WriteAllText(plugin, $"#!/bin/sh\necho '{credential}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var user = config.Users.First(u => u.Name == "testcluster");
        user.UserCredentials.Token = null;
        user.UserCredentials.ExternalExecution = new ExternalExecution { ApiVersion = "client.authentication.k8s.io/v1", Command = plugin };
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, KubernetesYaml.Serialize(config));
        LoopbackGuard.Check(path);

        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigPath = path });
        Assert.Matches(@"^v1\.\d+", await manager.GetServerVersionAsync(CancellationToken.None));
        Assert.Null(await manager.TryReadPodAsync("default", "nobody", CancellationToken.None));
    }
}
