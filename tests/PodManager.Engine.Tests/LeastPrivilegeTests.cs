using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Waits under credentials that may not list or watch the namespace's pods: they step down, and say once what would help.</summary>
public sealed class LeastPrivilegeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static PodRunRequest Run(string name, Action<string> onWarning) => new()
    {
        Pod = PodDescription.FromBuildOptions(TestPods.Shell("echo done", name) with { Namespace = "default" }),
        XCom = true,
        Timeout = TestPods.Generous,
        OnWarning = onWarning,
    };

    private static async Task<(PodRunOutcome Outcome, List<string> Warnings)> RunListeningAsync(PodManager manager, string name)
    {
        var warnings = new ConcurrentQueue<string>();
        PodRunOutcome outcome;
        using (ApiCallListener.Listen(_ => { }, onWarning: warnings.Enqueue))
        {
            outcome = await manager.RunPodAsync(Run(name, warnings.Enqueue), CancellationToken.None);
        }

        return (outcome, warnings.ToList());
    }

    [Fact]
    public async Task WithoutListOrWatchOnPodsAtAllAWaitPollsTheOnePodAndWarnsOnceNamingThePermission()
    {
        var manager = cluster.NewManager(context: TestClusterContexts.NoList);

        var (first, warnings) = await RunListeningAsync(manager, TestPods.UniqueName());
        var (second, again) = await RunListeningAsync(manager, TestPods.UniqueName());

        Assert.Null(first.Failure);
        Assert.Equal(PodPhase.Succeeded, first.Result.Phase);
        Assert.Null(second.Failure);
        var warning = Assert.Single(warnings);
        Assert.Contains("Waits on pods in namespace 'default' cannot share one watch: ", warning, StringComparison.Ordinal);
        Assert.Contains("User \"testcluster-nolist\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", warning, StringComparison.Ordinal);
        Assert.Contains("Grant list and watch on pods in namespace 'default'", warning, StringComparison.Ordinal);
        Assert.Empty(again);
        Assert.Equal(0, manager.WatchRequestCount);
    }

    [Fact]
    public async Task WithListAndWatchOfOneNamedPodAWaitWatchesThatPodAlone()
    {
        var name = TestPods.UniqueName();
        var user = TestPods.UniqueName("one-pod");
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeConfig));
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = user },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["create", "get", "delete"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["list", "watch"], ResourceNames = [name] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log"], Verbs = ["get"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods/exec"], Verbs = ["get", "create"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["events"], Verbs = ["list", "watch"] },
            ],
        }, "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = user },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = user, ApiGroup = "rbac.authorization.k8s.io" }],
            RoleRef = new V1RoleRef { Kind = "Role", Name = user, ApiGroup = "rbac.authorization.k8s.io" },
        }, "default");
        var token = await cluster.Server.Admin.IssueTokenAsync(user);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeConfig);
        var manager = PodManager.Create(
            new ConnectionSettings { Server = config.Host, Token = token, CertificateAuthority = config.SslCaCerts[0].ExportCertificatePem() },
            new PodManagerOptions { Retry = ClusterFixture.FastRetry });
        await using var _ = manager;

        var (outcome, warnings) = await RunListeningAsync(manager, name);

        Assert.Null(outcome.Failure);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Contains($"User \"{user}\" cannot list resource \"pods\"", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.True(manager.WatchRequestCount > 0);
    }

    [Fact]
    public async Task AForbiddenErrorNamesTheVerbTheResourceAndTheNamespace()
    {
        var pod = await cluster.NewManager().CreatePodAsync(TestPods.Shell("sleep 300") with { Namespace = "default" }, CancellationToken.None);
        var manager = cluster.NewManager(context: TestClusterContexts.ReadOnly);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExecAsync("default", pod.Name, "base", ["true"], null, TestPods.Generous, CancellationToken.None));

        Assert.Equal("Forbidden", error.ErrorId);
        Assert.Matches("User \"testcluster-readonly\" cannot (get|create) resource \"pods/exec\" in API group \"\" in the namespace \"default\"", error.Message);
    }
}

/// <summary>A kubeconfig user's <c>as:</c> and <c>as-groups:</c>, sent as kubectl sends them.</summary>
public sealed class ImpersonationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    /// <summary>The cluster's kubeconfig, with the admin user impersonating <paramref name="user"/> (and <paramref name="groups"/>).</summary>
    private string Impersonating(string user, params string[] groups)
    {
        var text = File.ReadAllText(cluster.KubeConfig);
        var adminUser = $"- name: {TestClusterContexts.Admin}\n  user:\n";
        Assert.Contains(adminUser, text, StringComparison.Ordinal);
        var groupLines = groups.Length == 0 ? "" : "    as-groups:\n" + string.Concat(groups.Select(g => $"    - {g}\n"));
        return text.Replace(adminUser, adminUser + $"    as: {user}\n" + groupLines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequestAndExecActsAsTheImpersonatedUser()
    {
        var pod = await cluster.NewManager().CreatePodAsync(TestPods.Shell("sleep 300") with { Namespace = "default" }, CancellationToken.None);
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigContent = Impersonating(TestClusterContexts.ReadOnly) }, new PodManagerOptions { Retry = ClusterFixture.FastRetry });

        var create = await Assert.ThrowsAsync<PodManagerException>(() => manager.CreatePodAsync(TestPods.Shell("true") with { Namespace = "default" }, CancellationToken.None));
        var exec = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExecAsync("default", pod.Name, "base", ["true"], null, TestPods.Generous, CancellationToken.None));

        Assert.Equal("Forbidden", create.ErrorId);
        Assert.Contains("User \"testcluster-readonly\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", create.Message, StringComparison.Ordinal);
        Assert.Equal("Forbidden", exec.ErrorId);
        Assert.Matches("User \"testcluster-readonly\" cannot (get|create) resource \"pods/exec\"", exec.Message);
    }

    /// <summary>"someone" has no rights of its own: only the group, sent beside the user, lets the create through.</summary>
    [Fact]
    public async Task AnImpersonatedGroupGivesItsRights()
    {
        await using var manager = PodManager.Create(new ConnectionSettings { KubeConfigContent = Impersonating("someone", "system:masters") }, new PodManagerOptions { Retry = ClusterFixture.FastRetry });

        var pod = await manager.CreatePodAsync(TestPods.Shell("true") with { Namespace = "default" }, CancellationToken.None);

        Assert.Equal("default", pod.Namespace);
    }
}
