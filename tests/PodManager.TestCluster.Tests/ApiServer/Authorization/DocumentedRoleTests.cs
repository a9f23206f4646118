using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer.Authorization;

/// <summary>The Role of docs/rbac.md and the test cluster's <c>podmanager</c> ClusterRole grant the same rules, and
/// the documented YAML applies and works.</summary>
public sealed partial class DocumentedRoleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task TheDocumentedRoleIsTheTestClustersPodManagerRole()
    {
        var documented = DocumentedObjects().OfType<V1Role>().Single();

        var builtIn = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleAsync("podmanager");

        Assert.Equal(KubernetesJson.Serialize(documented.Rules), KubernetesJson.Serialize(builtIn.Rules));
    }

    [Fact]
    public async Task TheDocumentedYamlAppliesAndGrantsItsUser()
    {
        var ns = Pods.Unique("documented");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        foreach (var item in DocumentedObjects())
        {
            switch (item)
            {
                case V1Role role:
                    await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, ns);
                    break;
                case V1RoleBinding binding:
                    await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, ns);
                    break;
            }
        }

        using var runbook = cluster.WithToken(await cluster.Server.Admin.IssueTokenAsync("my-runbook"));
        var name = Pods.Unique("runbook");
        await runbook.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo from the runbook"), ns);
        await Waits.ForCompletionAsync(runbook, ns, name);

        Assert.Equal("from the runbook\n", await Waits.LogAsync(runbook, ns, name));
    }

    private static List<object> DocumentedObjects()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PodManager.sln")))
        {
            directory = directory.Parent;
        }

        var text = File.ReadAllText(Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("the repository root"), "docs", "rbac.md"));
        var yaml = YamlBlock().Match(text).Groups[1].Value;
        return [.. KubernetesYaml.LoadAllFromString(yaml).Select(o => o is IMetadata<V1ObjectMeta> m ? ClearNamespace(m) : o)];
    }

    private static object ClearNamespace(IMetadata<V1ObjectMeta> item)
    {
        item.Metadata.NamespaceProperty = null;
        return item;
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
