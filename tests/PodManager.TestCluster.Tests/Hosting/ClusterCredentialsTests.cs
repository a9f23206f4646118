using System.Diagnostics;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Hosting;

/// <summary>The kubeconfig users' credentials on a hand-moved clock: lifetimes, renewal at 80%, rotation with a grace
/// period, expiry, and the exec plugin's ExecCredential.</summary>
public sealed class ClusterCredentialsTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(100);
    private readonly string directory = Directory.CreateTempSubdirectory("testcluster-credentials-").FullName;
    private readonly ManualClock clock = new();
    private readonly TokenAuthenticator tokens;
    private readonly ClusterCredentials credentials;

    public ClusterCredentialsTests()
    {
        tokens = new TokenAuthenticator(clock);
        credentials = new ClusterCredentials(tokens, clock, Lifetime, directory);
    }

    public void Dispose()
    {
        credentials.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void EachUserHasATokenAndOnlyTheNarrowCredentialsExpire()
    {
        foreach (var context in TestClusterContexts.All)
        {
            Assert.Equal(context, UserOf(credentials.TokenFor(context)));
        }

        clock.Advance(Lifetime);

        Assert.Equal(TestClusterContexts.Admin, UserOf(credentials.TokenFor(TestClusterContexts.Admin)));
        Assert.Equal(TestClusterContexts.NoList, UserOf(credentials.TokenFor(TestClusterContexts.NoList)));
        Assert.Null(UserOf(credentials.TokenFor(TestClusterContexts.Expiring)));
        Assert.Equal([UserInfo.Masters, UserInfo.Authenticated], tokens.Authenticate($"Bearer {credentials.TokenFor(TestClusterContexts.Admin)}")!.Groups);
    }

    [Fact]
    public void TheTokenFileIsRenewedAtEightyPercentAndTheOldTokenLivesOutItsLifetime()
    {
        var first = File.ReadAllText(credentials.TokenFilePath);

        clock.Advance(Lifetime * 0.8 - TimeSpan.FromSeconds(1));
        var before = File.ReadAllText(credentials.TokenFilePath);
        clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = File.ReadAllText(credentials.TokenFilePath);
        var oldStillWorks = UserOf(first);
        clock.Advance(Lifetime * 0.2);

        Assert.Equal(first, before);
        Assert.NotEqual(first, renewed);
        Assert.Equal(credentials.TokenFor(TestClusterContexts.TokenFile), renewed);
        Assert.Equal(TestClusterContexts.TokenFile, oldStillWorks);
        Assert.Null(UserOf(first));
        Assert.Equal(TestClusterContexts.TokenFile, UserOf(renewed));
    }

    [Fact]
    public void RotationReplacesTheFileAndExecTokensAndEndsTheOldOnesAfterTheGrace()
    {
        var file = credentials.TokenFor(TestClusterContexts.TokenFile);
        var exec = credentials.TokenFor(TestClusterContexts.Exec);

        credentials.Rotate(TimeSpan.FromSeconds(30));
        var duringGrace = (UserOf(file), UserOf(exec));
        clock.Advance(TimeSpan.FromSeconds(30));
        var rotatedFile = credentials.TokenFor(TestClusterContexts.TokenFile);
        credentials.Rotate(TimeSpan.Zero);

        Assert.Equal((TestClusterContexts.TokenFile, TestClusterContexts.Exec), duringGrace);
        Assert.Null(UserOf(file));
        Assert.Null(UserOf(exec));
        Assert.Null(UserOf(rotatedFile));
        Assert.Equal(TestClusterContexts.TokenFile, UserOf(File.ReadAllText(credentials.TokenFilePath)));
    }

    [Fact]
    public void ExpiringEndsEveryTokenWithALifetimeAtOnceAndRenewsNothing()
    {
        credentials.ExpireAll();

        Assert.Null(UserOf(credentials.TokenFor(TestClusterContexts.Expiring)));
        Assert.Null(UserOf(credentials.TokenFor(TestClusterContexts.TokenFile)));
        Assert.Null(UserOf(credentials.TokenFor(TestClusterContexts.Exec)));
        Assert.Equal(credentials.TokenFor(TestClusterContexts.TokenFile), File.ReadAllText(credentials.TokenFilePath));
        Assert.Equal(TestClusterContexts.PodManager, UserOf(credentials.TokenFor(TestClusterContexts.PodManager)));
    }

    [Fact]
    public async Task TheExecPluginPrintsAnExecCredentialWithItsExpiry()
    {
        using var plugin = Process.Start(new ProcessStartInfo(credentials.ExecPluginPath) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = await plugin.StandardOutput.ReadToEndAsync();
        await plugin.WaitForExitAsync();

        using var credential = JsonDocument.Parse(output);
        Assert.Equal(0, plugin.ExitCode);
        Assert.Equal("client.authentication.k8s.io/v1", credential.RootElement.GetProperty("apiVersion").GetString());
        Assert.Equal("ExecCredential", credential.RootElement.GetProperty("kind").GetString());
        Assert.Equal(credentials.TokenFor(TestClusterContexts.Exec), credential.RootElement.GetProperty("status").GetProperty("token").GetString());
        Assert.Equal("2026-01-01T00:01:40Z", credential.RootElement.GetProperty("status").GetProperty("expirationTimestamp").GetString());
    }

    [Fact]
    public void IssuedTokensStandForAnyUserForTheirLifetime()
    {
        var token = credentials.Issue("alice", ["team-a"], TimeSpan.FromSeconds(10));

        var alice = tokens.Authenticate($"Bearer {token}");
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("alice", alice?.Name);
        Assert.Equal(["team-a", UserInfo.Authenticated], alice?.Groups);
        Assert.Null(tokens.Authenticate($"Bearer {token}"));
        Assert.Null(tokens.Authenticate("Bearer "));
        Assert.Null(tokens.Authenticate($"Basic {token}"));
    }

    private string? UserOf(string token) => tokens.Authenticate($"Bearer {token}")?.Name;
}
