using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer.Authorization;

/// <summary>RBAC enforced on every request: the kubeconfig's narrow users, subresources, list and watch, the
/// real Forbidden wording, and the self-subject reviews that answer from the same rules.</summary>
public sealed class RbacTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ThePodManagerUserRunsThePodLifecycleInDefaultAndNothingElsewhere()
    {
        using var client = cluster.As(TestClusterContexts.PodManager);
        var name = Pods.Unique("pm");

        await client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForLogLineAsync(client, "default", name, "started");
        var listed = await client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: $"metadata.name={name}");
        var patched = await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"kept":"yes"}}}""", V1Patch.PatchType.MergePatch), name, "default");
        var exitCode = await client.NamespacedPodExecAsync(name, "default", "base", ["true"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        var events = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name}");
        var elsewhere = await StatusAssert.ThrowsAsync(() => client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "kube-system"), 403, "Forbidden");
        var eviction = await StatusAssert.ThrowsAsync(() => client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = name } }, name, "default"), 403, "Forbidden");
        var status = await StatusAssert.ThrowsAsync(() => client.CoreV1.ReadNamespacedPodStatusAsync(name, "default"), 403, "Forbidden");
        var secrets = await StatusAssert.ThrowsAsync(() => client.CoreV1.ListNamespacedSecretAsync("default"), 403, "Forbidden");
        await client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);

        Assert.Single(listed.Items);
        Assert.Equal("yes", patched.Metadata.Labels["kept"]);
        Assert.Equal(0, exitCode);
        Assert.NotEmpty(events.Items);
        Assert.Equal($"pods is forbidden: User \"testcluster-podmanager\" cannot create resource \"pods\" in API group \"\" in the namespace \"kube-system\"", Message(elsewhere));
        Assert.Equal($"pods \"{name}\" is forbidden: User \"testcluster-podmanager\" cannot create resource \"pods/eviction\" in API group \"\" in the namespace \"default\"", Message(eviction));
        Assert.Equal($"pods \"{name}\" is forbidden: User \"testcluster-podmanager\" cannot get resource \"pods/status\" in API group \"\" in the namespace \"default\"", Message(status));
        Assert.Equal("secrets is forbidden: User \"testcluster-podmanager\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"", Message(secrets));
    }

    [Fact]
    public async Task TheNoListUserWorksWithNamedPodsButMayNotListOrWatchThem()
    {
        using var client = cluster.As(TestClusterContexts.NoList);
        var name = Pods.Unique("nolist");
        await client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo done"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var read = await client.CoreV1.ReadNamespacedPodAsync(name, "default");
        using var http = cluster.Http(cluster.Server.TokenFor(TestClusterContexts.NoList));

        var list = await StatusAssert.ThrowsAsync(() => client.CoreV1.ListNamespacedPodAsync("default"), 403, "Forbidden");
        using var watch = await http.GetAsync("/api/v1/namespaces/default/pods?watch=true");
        using var watchOne = await http.GetAsync($"/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3D{name}");
        using var logs = await http.GetAsync($"/api/v1/namespaces/default/pods/{name}/log");

        Assert.Equal(name, read.Metadata.Name);
        Assert.Equal("pods is forbidden: User \"testcluster-nolist\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", Message(list));
        Assert.Equal("pods is forbidden: User \"testcluster-nolist\" cannot watch resource \"pods\" in API group \"\" in the namespace \"default\"", Message(await StatusAssert.ResponseAsync(watch, 403, "Forbidden")));
        Assert.Equal($"pods \"{name}\" is forbidden: User \"testcluster-nolist\" cannot watch resource \"pods\" in API group \"\" in the namespace \"default\"", Message(await StatusAssert.ResponseAsync(watchOne, 403, "Forbidden")));
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        Assert.Equal("done\n", await logs.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AWatchPinnedToOneNameIsAllowedByAResourceNamesRuleAndNothingWiderIs()
    {
        var ns = await NamespaceAsync();
        var name = Pods.Unique("one");
        var token = await BindAsync(ns, "watcher", new V1PolicyRule { ApiGroups = [string.Empty], Resources = ["pods"], Verbs = ["get", "list", "watch"], ResourceNames = [name] });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), ns);
        using var http = cluster.Http(token);

        using var one = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?fieldSelector=metadata.name%3D{name}");
        using var all = await http.GetAsync($"/api/v1/namespaces/{ns}/pods");
        using var other = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&fieldSelector=metadata.name%3Dother");
        using var watcher = cluster.WithToken(token);
        using var cts = new CancellationTokenSource(Waits.Default);
        var first = await watcher.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: $"metadata.name={name}", cancellationToken: cts.Token).FirstAsync(cts.Token);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(name, Assert.Single((await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()).GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal($"pods is forbidden: User \"watcher\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"", Message(await StatusAssert.ResponseAsync(all, 403, "Forbidden")));
        Assert.Equal($"pods \"other\" is forbidden: User \"watcher\" cannot watch resource \"pods\" in API group \"\" in the namespace \"{ns}\"", Message(await StatusAssert.ResponseAsync(other, 403, "Forbidden")));
        Assert.Equal(name, first.Item2.Metadata.Name);
    }

    [Fact]
    public async Task AWebSocketExecNeedsBothGetAndCreateOnPodsExec()
    {
        var ns = await NamespaceAsync();
        var pods = new V1PolicyRule { ApiGroups = [string.Empty], Resources = ["pods"], Verbs = ["get"] };
        var getOnly = await BindAsync(ns, "exec-get", pods, new V1PolicyRule { ApiGroups = [string.Empty], Resources = ["pods/exec"], Verbs = ["get"] });
        var createOnly = await BindAsync(ns, "exec-create", pods, new V1PolicyRule { ApiGroups = [string.Empty], Resources = ["pods/exec"], Verbs = ["create"] });
        var both = await BindAsync(ns, "exec-both", pods, new V1PolicyRule { ApiGroups = [string.Empty], Resources = ["pods/exec"], Verbs = ["get", "create"] });
        var name = Pods.Unique("exec");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), ns);
        await Waits.ForLogLineAsync(cluster.Client, ns, name, "started");

        var withGet = await UpgradeAsync(getOnly, ns, name);
        var withCreate = await UpgradeAsync(createOnly, ns, name);
        using var allowed = cluster.WithToken(both);
        var exitCode = await allowed.NamespacedPodExecAsync(name, ns, "base", ["true"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal($"pods \"{name}\" is forbidden: User \"exec-get\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"{ns}\"", Message(withGet));
        Assert.Equal($"pods \"{name}\" is forbidden: User \"exec-create\" cannot get resource \"pods/exec\" in API group \"\" in the namespace \"{ns}\"", Message(withCreate));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ABindingToAMissingRoleGrantsNothingAndTheReasonSaysWhy()
    {
        var ns = await NamespaceAsync();
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(Binding("dangling", "ClusterRole", "no-such-role", "ghost"), ns);
        using var ghost = cluster.WithToken(await cluster.Server.Admin.IssueTokenAsync("ghost"));

        var status = await StatusAssert.ThrowsAsync(() => ghost.CoreV1.ListNamespacedPodAsync(ns), 403, "Forbidden");

        Assert.Equal($"pods is forbidden: User \"ghost\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\": RBAC: clusterrole.rbac.authorization.k8s.io \"no-such-role\" not found", Message(status));
    }

    [Fact]
    public async Task TheReadOnlyUserHasTheViewRole()
    {
        using var readOnly = cluster.As(TestClusterContexts.ReadOnly);

        var pods = await readOnly.CoreV1.ListPodForAllNamespacesAsync();
        var namespaces = await readOnly.CoreV1.ListNamespaceAsync();
        var secrets = await StatusAssert.ThrowsAsync(() => readOnly.CoreV1.ListNamespacedSecretAsync("default"), 403, "Forbidden");
        var roles = await StatusAssert.ThrowsAsync(() => readOnly.RbacAuthorizationV1.ListNamespacedRoleAsync("default"), 403, "Forbidden");

        Assert.NotNull(pods);
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
        Assert.Equal("secrets is forbidden: User \"testcluster-readonly\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"", Message(secrets));
        Assert.Equal("roles.rbac.authorization.k8s.io is forbidden: User \"testcluster-readonly\" cannot list resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the namespace \"default\"", Message(roles));
    }

    [Fact]
    public async Task TheFaultApiIsForClusterAdminsOnly()
    {
        using var podManager = cluster.Http(cluster.Server.TokenFor(TestClusterContexts.PodManager));

        using var response = await podManager.PostAsync("/_testcluster/watches/close", null);

        Assert.Equal("forbidden: User \"testcluster-podmanager\" cannot post path \"/_testcluster/watches/close\"", Message(await StatusAssert.ResponseAsync(response, 403, "Forbidden")));
    }

    [Fact]
    public async Task SelfSubjectAccessReviewsAnswerFromTheSameRules()
    {
        using var podManager = cluster.As(TestClusterContexts.PodManager);

        var exec = await podManager.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("create", "pods", "exec", "default"));
        var elsewhere = await podManager.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("create", "pods", null, "kube-system"));
        var discovery = await podManager.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { NonResourceAttributes = new V1NonResourceAttributes { Path = "/apis", Verb = "get" } },
        });
        var admin = await cluster.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("delete", "nodes", null, null));
        var invalid = await StatusAssert.ThrowsAsync(() => podManager.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview { Spec = new V1SelfSubjectAccessReviewSpec() }), 422, "Invalid");

        Assert.True(exec.Status.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"testcluster-podmanager/default\" of ClusterRole \"podmanager\" to User \"testcluster-podmanager\"", exec.Status.Reason);
        Assert.False(elsewhere.Status.Allowed);
        Assert.True(discovery.Status.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"", discovery.Status.Reason);
        Assert.True(admin.Status.Allowed);
        Assert.Equal("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified", Message(invalid));
    }

    [Fact]
    public async Task SelfSubjectRulesAndSelfSubjectReviewsDescribeTheUser()
    {
        using var noList = cluster.As(TestClusterContexts.NoList);

        var rules = await noList.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = "default" } });
        var elsewhere = await noList.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = "kube-system" } });
        var whoami = await noList.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        var pods = Assert.Single(rules.Status.ResourceRules, r => r.Resources.SequenceEqual(["pods"]));
        Assert.Equal(["create", "get", "patch", "delete"], pods.Verbs);
        Assert.Contains(rules.Status.NonResourceRules, r => r.NonResourceURLs.Contains("/version"));
        Assert.False(rules.Status.Incomplete);
        Assert.DoesNotContain(elsewhere.Status.ResourceRules, r => r.Resources.Contains("pods"));
        Assert.Equal("testcluster-nolist", whoami.Status.UserInfo.Username);
        Assert.Equal(["system:authenticated"], whoami.Status.UserInfo.Groups);
    }

    [Fact]
    public async Task RbacObjectsAreValidatedQualifiedAndDeletedWithTheirNamespace()
    {
        var ns = await NamespaceAsync();
        var badKind = Binding("bad", "Foo", "view", "someone");
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(Binding("good", "ClusterRole", "view", "someone"), ns);

        var invalid = await StatusAssert.ThrowsAsync(() => cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(badKind, ns), 422, "Invalid");
        var changed = await StatusAssert.ThrowsAsync(
            () => cluster.Client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(new V1Patch("""{"roleRef":{"name":"edit"}}""", V1Patch.PatchType.MergePatch), "good", ns),
            422,
            "Invalid");
        var missing = await StatusAssert.ThrowsAsync(() => cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("nothing", ns), 404, "NotFound");
        var namespacedUrl = await StatusAssert.ThrowsAsync(
            () => cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "urls" }, Rules = [new V1PolicyRule { NonResourceURLs = ["/x"], Verbs = ["get"] }] }, ns),
            422,
            "Invalid");
        await cluster.Client.CoreV1.DeleteNamespaceAsync(ns);
        await Waits.ForNamespaceDeletionAsync(cluster.Client, ns);

        Assert.Equal("RoleBinding.rbac.authorization.k8s.io \"bad\" is invalid: roleRef.kind: Unsupported value: \"Foo\": supported values: \"Role\", \"ClusterRole\"", Message(invalid));
        Assert.Equal("RoleBinding.rbac.authorization.k8s.io \"good\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef", Message(changed));
        Assert.Equal("roles.rbac.authorization.k8s.io \"nothing\" not found", Message(missing));
        Assert.Equal("Role.rbac.authorization.k8s.io \"urls\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs", Message(namespacedUrl));
        Assert.Empty((await cluster.Client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns}")).Items);
    }

    [Fact]
    public async Task TheBootstrapRolesAreAggregatedAndARoleLabelledAggregateToViewJoinsView()
    {
        var view = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync("view");
        var edit = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync("edit");
        var admin = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync("admin");
        var name = Pods.Unique("crd-viewer");

        await cluster.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" } },
            Rules = [new V1PolicyRule { ApiGroups = [name], Resources = ["widgets"], Verbs = ["get"] }],
        });
        var aggregated = await ForClusterRoleAsync("view", role => role.Rules.Any(r => r.ApiGroups.Contains(name)));

        Assert.Contains(view.Rules, r => r.Resources.Contains("pods/log") && r.Verbs.Contains("get"));
        Assert.DoesNotContain(view.Rules, r => r.Resources.Contains("secrets"));
        Assert.Contains(edit.Rules, r => r.Resources.Contains("pods/exec") && r.Verbs.Contains("create"));
        Assert.Contains(edit.Rules, r => r.Resources.Contains("pods/log"));
        Assert.Contains(admin.Rules, r => r.Resources.Contains("rolebindings"));
        Assert.Contains(admin.Rules, r => r.Resources.Contains("pods/log"));
        Assert.Contains(aggregated.Rules, r => r.Resources.Contains("pods/log"));
    }

    [Fact]
    public async Task TheGroupsAreDiscoverable()
    {
        using var http = cluster.Http();

        var groups = await http.GetFromJsonAsync<JsonElement>("/apis");
        var rbac = await http.GetFromJsonAsync<JsonElement>("/apis/rbac.authorization.k8s.io/v1");

        Assert.Equal(
            ["rbac.authorization.k8s.io", "authorization.k8s.io", "authentication.k8s.io"],
            groups.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal("rbac.authorization.k8s.io/v1", rbac.GetProperty("groupVersion").GetString());
        Assert.Equal(["roles", "clusterroles", "rolebindings", "clusterrolebindings"], rbac.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    private static string? Message(JsonElement status) => status.GetProperty("message").GetString();

    private static V1SelfSubjectAccessReview Review(string verb, string resource, string? subresource, string? ns) => new()
    {
        Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, Subresource = subresource, NamespaceProperty = ns } },
    };

    private static V1RoleBinding Binding(string name, string roleKind, string role, string user) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = role },
        Subjects = [new Rbacv1Subject { Kind = "User", Name = user }],
    };

    private async Task<string> NamespaceAsync()
    {
        var name = Pods.Unique("rbac");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>A Role with the rules in the namespace, bound to a new user; returns the user's token.</summary>
    private async Task<string> BindAsync(string ns, string user, params V1PolicyRule[] rules)
    {
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = user }, Rules = rules }, ns);
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(Binding(user, "Role", user, user), ns);
        return await cluster.Server.Admin.IssueTokenAsync(user);
    }

    /// <summary>A WebSocket upgrade of an exec as the given token, refused before the upgrade: the 403 Status.</summary>
    private async Task<JsonElement> UpgradeAsync(string token, string ns, string name)
    {
        using var http = cluster.Http(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/{name}/exec?command=true&stdout=1");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        request.Headers.Add("Sec-WebSocket-Protocol", "v4.channel.k8s.io");
        using var response = await http.SendAsync(request);
        return await StatusAssert.ResponseAsync(response, 403, "Forbidden");
    }

    private async Task<V1ClusterRole> ForClusterRoleAsync(string name, Func<V1ClusterRole, bool> condition)
    {
        using var cts = new CancellationTokenSource(Waits.Default);
        var list = await cluster.Client.RbacAuthorizationV1.ListClusterRoleAsync(fieldSelector: $"metadata.name={name}", cancellationToken: cts.Token);
        if (condition(list.Items.Single()))
        {
            return list.Items.Single();
        }

        await foreach (var (_, role) in cluster.Client.RbacAuthorizationV1.WatchListClusterRoleAsync(fieldSelector: $"metadata.name={name}", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (condition(role))
            {
                return role;
            }
        }

        throw new TimeoutException($"ClusterRole {name} never met the condition");
    }
}
