using System.Text;
using k8s;
using k8s.KubeConfigModels;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
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
