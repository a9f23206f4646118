using k8s;
using k8s.Authentication;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer.Authentication;

/// <summary>The kubeconfig's credentials through KubernetesClient: who each context is, a token file that is
/// rotated on disk, an exec credential plugin, and tokens that expire.</summary>
public sealed class CredentialTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EveryContextAuthenticatesAsItsOwnUser()
    {
        foreach (var context in TestClusterContexts.All.Where(c => c != TestClusterContexts.TokenFile))
        {
            using var client = cluster.As(context);
            var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
            Assert.Equal(context, review.Status.UserInfo.Username);
        }

        using var fromFile = TokenFileClient();
        Assert.Equal(TestClusterContexts.TokenFile, (await fromFile.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo.Username);
    }

    [Fact]
    public async Task ARotatedTokenFileHoldsTheNewTokenAndTheOldOneIsRefused()
    {
        await cluster.Server.Admin.RotateCredentialsAsync();
        var before = await File.ReadAllTextAsync(cluster.Server.TokenFilePath);
        using var holdingOld = cluster.WithToken(before);
        await holdingOld.CoreV1.ListNamespacedPodAsync("default");

        await cluster.Server.Admin.RotateCredentialsAsync();
        using var rereading = TokenFileClient();

        var refused = await StatusAssert.ThrowsAsync(() => holdingOld.CoreV1.ListNamespacedPodAsync("default"), 401, "Unauthorized");
        Assert.Equal("Unauthorized", refused.GetProperty("message").GetString());
        Assert.NotEqual(before, await File.ReadAllTextAsync(cluster.Server.TokenFilePath));
        Assert.NotNull(await rereading.CoreV1.ListNamespacedPodAsync("default"));
    }

    [Fact]
    public async Task AGracePeriodKeepsTheOldTokenWorkingMeanwhile()
    {
        await cluster.Server.Admin.RotateCredentialsAsync();
        var old = cluster.Server.TokenFor(TestClusterContexts.Exec);
        using var holdingOld = cluster.WithToken(old);

        await cluster.Server.Admin.RotateCredentialsAsync(TimeSpan.FromHours(1));

        Assert.NotNull(await holdingOld.CoreV1.ListNamespacedPodAsync("default"));
        Assert.NotEqual(old, cluster.Server.TokenFor(TestClusterContexts.Exec));
    }

    [Fact]
    public async Task TheExecPluginHandsOutTheCurrentTokenAndAClientWithAStaleOneIsRefused()
    {
        await cluster.Server.Admin.RotateCredentialsAsync();
        using var first = cluster.As(TestClusterContexts.Exec);
        await first.CoreV1.ListNamespacedPodAsync("default");

        await cluster.Server.Admin.RotateCredentialsAsync();
        using var second = cluster.As(TestClusterContexts.Exec);

        await StatusAssert.ThrowsAsync(() => first.CoreV1.ListNamespacedPodAsync("default"), 401, "Unauthorized");
        Assert.NotNull(await second.CoreV1.ListNamespacedPodAsync("default"));
    }

    [Fact]
    public async Task AnExpiredTokenWithNothingToRefreshItIsUnauthorized()
    {
        await using var server = await TestClusterServer.StartAsync(new TestClusterOptions { TokenLifetime = TimeSpan.FromMinutes(5) });
        using var expiring = new Kubernetes(LoopbackGuard.Load(server.KubeConfigPath, TestClusterContexts.Expiring));
        await expiring.CoreV1.ListNamespacedPodAsync("default");

        await server.Admin.ExpireCredentialsAsync();

        var status = await StatusAssert.ThrowsAsync(() => expiring.CoreV1.ListNamespacedPodAsync("default"), 401, "Unauthorized");
        Assert.Equal("Unauthorized", status.GetProperty("message").GetString());
        using var admin = new Kubernetes(LoopbackGuard.Load(server.KubeConfigPath));
        Assert.NotNull(await admin.CoreV1.ListNamespacedPodAsync("default"));
    }

    [Fact]
    public async Task AnIssuedTokenIsAUserThatRolesCanBeBoundTo()
    {
        var token = await cluster.Server.Admin.IssueTokenAsync("robot", ["robots"]);
        using var robot = cluster.WithToken(token);
        var before = await StatusAssert.ThrowsAsync(() => robot.CoreV1.ListNamespacedConfigMapAsync("default"), 403, "Forbidden");

        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = Pods.Unique("robots") },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "robots" }],
        }, "default");

        Assert.Equal("configmaps is forbidden: User \"robot\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"", before.GetProperty("message").GetString());
        Assert.NotNull(await robot.CoreV1.ListNamespacedConfigMapAsync("default"));
    }

    /// <summary>A client that reads the token file as KubernetesClient reads an in-cluster service-account token.</summary>
    private Kubernetes TokenFileClient()
    {
        var config = LoopbackGuard.Load(cluster.Server.KubeConfigPath);
        config.AccessToken = null;
        config.TokenProvider = new TokenFileAuth(cluster.Server.TokenFilePath);
        return new Kubernetes(config);
    }
}
