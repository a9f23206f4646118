using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary>The real kubectl under the kubeconfig's narrow users: <c>auth can-i</c>, <c>auth whoami</c>, a pod's
/// whole life (create, logs, exec, delete), RBAC objects from YAML, Pod Security messages and private images.</summary>
public sealed class KubectlAccessTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);
    private readonly string directory = Directory.CreateTempSubdirectory("kubectl-access-").FullName;

    public void Dispose()
    {
        kubectl.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("testcluster", "delete nodes", true)]
    [InlineData("testcluster-readonly", "list pods", true)]
    [InlineData("testcluster-readonly", "get pods --subresource=log", true)]
    [InlineData("testcluster-readonly", "create pods", false)]
    [InlineData("testcluster-readonly", "create pods --subresource=exec", false)]
    [InlineData("testcluster-readonly", "get secrets", false)]
    [InlineData("testcluster-podmanager", "watch pods", true)]
    [InlineData("testcluster-podmanager", "patch pods", true)]
    [InlineData("testcluster-podmanager", "create pods --subresource=exec", true)]
    [InlineData("testcluster-podmanager", "list events", true)]
    [InlineData("testcluster-podmanager", "create pods -n kube-system", false)]
    [InlineData("testcluster-podmanager", "create pods --subresource=eviction", false)]
    [InlineData("testcluster-nolist", "list pods", false)]
    [InlineData("testcluster-nolist", "watch pods", false)]
    [InlineData("testcluster-nolist", "get pods", true)]
    [InlineData("testcluster-nolist", "delete pods", true)]
    [InlineData("testcluster-tokenfile", "list pods", true)]
    [InlineData("testcluster-exec", "create pods", true)]
    [InlineData("testcluster-expiring", "get pods --subresource=log", true)]
    public async Task AuthCanIAnswersAsTheApiServerWould(string context, string question, bool allowed)
    {
        var result = await kubectl.RunAsync(["--context", context, "auth", "can-i", .. question.Split(' ')]);

        Assert.Equal(allowed ? "yes\n" : "no\n", result.Output);
        Assert.Equal(allowed ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task AuthCanIListAndWhoAmIDescribeTheUser()
    {
        var list = await kubectl.OutputAsync("--context", TestClusterContexts.PodManager, "auth", "can-i", "--list");
        var noList = await kubectl.OutputAsync("--context", TestClusterContexts.NoList, "auth", "can-i", "--list");
        var whoami = await kubectl.OutputAsync("--context", TestClusterContexts.Exec, "auth", "whoami");
        var impersonated = await kubectl.RunAsync("auth", "can-i", "list", "pods", "--as", TestClusterContexts.NoList);

        Assert.Matches(@"^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n", list);
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[create get list watch patch delete\]$", list);
        Assert.Matches(@"(?m)^pods/exec\s+\[\]\s+\[\]\s+\[create get\]$", list);
        Assert.Matches(@"(?m)^pods/log\s+\[\]\s+\[\]\s+\[get\]$", list);
        Assert.Matches(@"(?m)^events\s+\[\]\s+\[\]\s+\[list watch\]$", list);
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[create get patch delete\]$", noList);
        Assert.Equal("ATTRIBUTE   VALUE\nUsername    testcluster-exec\nGroups      [system:authenticated]\n", whoami);
        Assert.Equal("no\n", impersonated.Output);
    }

    [Theory]
    [InlineData("testcluster-podmanager")]
    [InlineData("testcluster-nolist")]
    [InlineData("testcluster-tokenfile")]
    [InlineData("testcluster-exec")]
    [InlineData("testcluster-expiring")]
    public async Task APodsWholeLifeUnderANarrowUser(string context)
    {
        var name = Pods.Unique("narrow");
        var file = await ManifestAsync(name, Pods.LongRunning(name));

        var created = await kubectl.OutputAsync("--context", context, "create", "-f", file);
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");
        var logs = await kubectl.OutputAsync("--context", context, "logs", name);
        var exec = await kubectl.OutputAsync("--context", context, "exec", name, "--", "sh", "-c", "echo inside $HOSTNAME");

        // Without list and watch, kubectl delete cannot wait for the pod to go: it would watch it by name.
        var deleted = await kubectl.OutputAsync("--context", context, "delete", "pod", name, "--wait=false");
        await Waits.ForDeletionAsync(cluster.Client, "default", name);

        Assert.Equal($"pod/{name} created\n", created);
        Assert.Equal("started\n", logs);
        Assert.Equal($"inside {name}\n", exec);
        Assert.Equal($"pod \"{name}\" deleted\n", deleted);
    }

    [Fact]
    public async Task RefusedRequestsPrintTheRealForbiddenMessages()
    {
        var name = Pods.Unique("refused");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");

        var list = await kubectl.RunAsync("--context", TestClusterContexts.NoList, "get", "pods");
        var exec = await kubectl.RunAsync("--context", TestClusterContexts.ReadOnly, "exec", name, "--", "true");
        var elsewhere = await kubectl.RunAsync("--context", TestClusterContexts.PodManager, "get", "pods", "-n", "kube-system");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);

        Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"testcluster-nolist\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\n", list.Error);
        Assert.Equal($"Error from server (Forbidden): pods \"{name}\" is forbidden: User \"testcluster-readonly\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\"\n", exec.Error);
        Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"testcluster-podmanager\" cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"\n", elsewhere.Error);
        Assert.All([list, exec, elsewhere], r => Assert.Equal(1, r.ExitCode));
    }

    [Fact]
    public async Task RbacObjectsAreAppliedFromYamlAndTakeEffect()
    {
        var ns = Pods.Unique("rbac");
        var file = Path.Combine(directory, "rbac.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {ns}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: pod-reader
              namespace: {ns}
            rules:
            - apiGroups: [""]
              resources: [pods]
              verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: nolist-reads
              namespace: {ns}
            subjects:
            - apiGroup: rbac.authorization.k8s.io
              kind: User
              name: testcluster-nolist
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: pod-reader
            """);

        var applied = await kubectl.OutputAsync("apply", "-f", file);
        var reapplied = await kubectl.OutputAsync("apply", "-f", file);
        var bindings = await kubectl.OutputAsync("get", "rolebindings", "-n", ns, "-o", "wide");
        var canList = await kubectl.OutputAsync("--context", TestClusterContexts.NoList, "auth", "can-i", "list", "pods", "-n", ns);

        Assert.Equal($"namespace/{ns} created\nrole.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/nolist-reads created\n", applied);
        Assert.Equal($"namespace/{ns} unchanged\nrole.rbac.authorization.k8s.io/pod-reader unchanged\nrolebinding.rbac.authorization.k8s.io/nolist-reads unchanged\n", reapplied);
        Assert.Matches(@"^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n", bindings);
        Assert.Matches(@"(?m)^nolist-reads\s+Role/pod-reader\s+\d+s\s+testcluster-nolist\s*$", bindings);
        Assert.Equal("yes\n", canList);
    }

    [Fact]
    public async Task PodSecurityRefusalsAndWarningsArePrinted()
    {
        var enforced = Pods.Unique("restricted");
        var warned = Pods.Unique("warned");
        var namespaces = Path.Combine(directory, "namespaces.yaml");
        await File.WriteAllTextAsync(namespaces, $"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {enforced}
              labels:
                pod-security.kubernetes.io/enforce: restricted
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {warned}
              labels:
                pod-security.kubernetes.io/warn: restricted
            """);
        await kubectl.OutputAsync("create", "-f", namespaces);
        var file = await ManifestAsync("psa", Pods.Shell("psa", "true"));

        var refused = await kubectl.RunAsync("create", "-n", enforced, "-f", file);
        var admitted = await kubectl.RunAsync("create", "-n", warned, "-f", file);

        var violations = "allowPrivilegeEscalation != false (container \"base\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"base\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"base\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"base\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"Error from server (Forbidden): error when creating \"{file}\": pods \"psa\" is forbidden: violates PodSecurity \"restricted:latest\": {violations}\n", refused.Error);
        Assert.Equal("pod/psa created\n", admitted.Output);
        Assert.Equal($"Warning: would violate PodSecurity \"restricted:latest\": {violations}\n", admitted.Error);
    }

    [Fact]
    public async Task APrivateImageWithoutAPullSecretShowsErrImagePull()
    {
        var name = Pods.Unique("private");
        var image = $"registry.private.test/team/{name}:1.0";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: image), "default");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ImagePullBackOff");

        var events = await kubectl.OutputAsync("get", "events", "--field-selector", $"involvedObject.name={name},reason=Failed", "-o", "custom-columns=MESSAGE:.message", "--no-headers");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);

        Assert.Contains($"Failed to pull image \"{image}\": rpc error: code = Unknown desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": unexpected status from HEAD request to https://registry.private.test/v2/team/{name}/manifests/1.0: 401 Unauthorized\n", events);
        Assert.Contains("Error: ImagePullBackOff\n", events);
    }

    private async Task<string> ManifestAsync(string name, V1Pod pod)
    {
        pod.ApiVersion = "v1";
        pod.Kind = "Pod";
        var file = Path.Combine(directory, $"{name}.yaml");
        await File.WriteAllTextAsync(file, KubernetesYaml.Serialize(pod));
        return file;
    }
}
