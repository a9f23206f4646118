using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary>The real kubectl with credentials that change: a token file rotated on disk, an exec credential
/// plugin, and tokens that expire. Its own cluster, since expiring ends the tokens of every test.</summary>
public sealed class KubectlCredentialTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    /// <summary>What kubectl prints when the API server answers 401: with the Status message, or, when the refusal
    /// comes to its discovery (nothing cached yet), with client-go's words for a 401.</summary>
    private const string Unauthorized = @"\nerror: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)\n$";

    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task TheTokenFileAndExecContextsFollowARotationAndTheOldTokenIsRefused()
    {
        var old = cluster.Server.TokenFor(TestClusterContexts.TokenFile);
        var before = await kubectl.RunAsync("--context", TestClusterContexts.TokenFile, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");

        await cluster.Server.Admin.RotateCredentialsAsync();
        var fromFile = await kubectl.RunAsync("--context", TestClusterContexts.TokenFile, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        var fromPlugin = await kubectl.RunAsync("--context", TestClusterContexts.Exec, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        var stale = await kubectl.RunAsync("--token", old, "get", "pods");

        Assert.Equal("testcluster-tokenfile", before.Output);
        Assert.Equal("testcluster-tokenfile", fromFile.Output);
        Assert.Equal("testcluster-exec", fromPlugin.Output);
        Assert.Equal(1, stale.ExitCode);
        Assert.Matches(Unauthorized, stale.Error);
    }

    [Fact]
    public async Task AnExpiredTokenIsUnauthorizedUntilTheNextRotation()
    {
        await cluster.Server.Admin.ExpireCredentialsAsync();
        var expiring = await kubectl.RunAsync("--context", TestClusterContexts.Expiring, "get", "pods");
        var plugin = await kubectl.RunAsync("--context", TestClusterContexts.Exec, "get", "pods");
        var admin = await kubectl.RunAsync("get", "pods");

        await cluster.Server.Admin.RotateCredentialsAsync();
        var rotated = await kubectl.RunAsync("--context", TestClusterContexts.Exec, "get", "pods");

        Assert.Matches(Unauthorized, expiring.Error);
        Assert.Matches(Unauthorized, plugin.Error);
        Assert.Equal(0, admin.ExitCode);
        Assert.Equal(0, rotated.ExitCode);
    }
}
