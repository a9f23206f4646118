using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class NamespaceTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task DefaultAndKubeSystemExist()
    {
        var list = await cluster.Client.CoreV1.ListNamespaceAsync();

        Assert.Contains(list.Items, n => n.Metadata.Name == "default" && n.Status.Phase == "Active");
        Assert.Contains(list.Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task NamespacesAreCreatedReadAndDeletedWithTheirPods()
    {
        var name = Pods.Unique("ns");
        var created = await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        var read = await cluster.Client.CoreV1.ReadNamespaceAsync(name);
        var pod = Pods.LongRunning("inside");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, name);
        await Waits.ForLogLineAsync(cluster.Client, name, "inside", "started");

        var deleting = await cluster.Client.CoreV1.DeleteNamespaceAsync(name);
        await Waits.ForDeletionAsync(cluster.Client, name, "inside");
        await Waits.ForNamespaceDeletionAsync(cluster.Client, name);

        Assert.Equal("Active", created.Status.Phase);
        Assert.Equal(name, read.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal("Terminating", deleting.ObjectView<V1Namespace>().Status.Phase);
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespaceAsync(name), 404, "NotFound");
    }

    [Fact]
    public async Task AnInvalidNamespaceNameIs422()
    {
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "Not.A.Label" } }), 422, "Invalid");
    }
}
