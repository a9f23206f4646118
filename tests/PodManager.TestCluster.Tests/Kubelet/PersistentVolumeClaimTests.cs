using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

public sealed class PersistentVolumeClaimTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AClaimIsBoundAndItsDataOutlivesThePodsThatWriteIt()
    {
        var claim = await CreateClaimAsync(Pods.Unique("data"));
        var bound = await BoundAsync(claim.Metadata.Name);
        var writer = Pods.Unique("writer");
        var reader = Pods.Unique("reader");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Mounting(Pods.Shell(writer, "echo kept > /data/result; mkdir -p /data/sub; echo deep > /data/sub/file"), claim.Metadata.Name), "default");
        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", writer)).Status.Phase);
        var readerPod = Mounting(Pods.Shell(reader, "cat /data/result /mnt/sub-only/file; touch /data/x 2>/dev/null || echo read-only"), claim.Metadata.Name, readOnly: true);
        readerPod.Spec.Containers[0].VolumeMounts.Add(new V1VolumeMount { Name = "data", MountPath = "/mnt/sub-only", SubPath = "sub" });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(readerPod, "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", reader);

        Assert.Equal("Bound", bound.Status.Phase);
        Assert.Equal($"pvc-{claim.Metadata.Uid}", bound.Spec.VolumeName);
        Assert.Equal("1Gi", bound.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], bound.Status.AccessModes);
        Assert.Equal("Filesystem", bound.Spec.VolumeMode);
        Assert.Equal("Pending", claim.Status.Phase);
        Assert.Equal("kept\ndeep\nread-only\n", await Waits.LogAsync(cluster.Client, "default", reader));
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(cluster.Server.WorkDirectory, "persistentvolumes", bound.Spec.VolumeName, "result")));
    }

    [Fact]
    public async Task APodWithAMissingClaimIsUnschedulableUntilTheClaimExists()
    {
        var claimName = Pods.Unique("later");
        var name = Pods.Unique("waits-for-claim");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Mounting(Pods.Shell(name, "echo mounted"), claimName), "default");

        var message = await Waits.ForUnschedulableAsync(cluster.Client, "default", name);
        await CreateClaimAsync(claimName);
        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal($"0/1 nodes are available: persistentvolumeclaim \"{claimName}\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", message);
        Assert.Equal("Succeeded", done.Status.Phase);
    }

    [Fact]
    public async Task AClaimThatNamesAVolumeStaysPendingAndSoDoItsPods()
    {
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = Pods.Unique("static") },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                VolumeName = "nfs-volume-1",
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        };
        await cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, "default");
        var name = Pods.Unique("unbound");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Mounting(Pods.Shell(name, "true"), claim.Metadata.Name), "default");

        Assert.Equal("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", await Waits.ForUnschedulableAsync(cluster.Client, "default", name));
        Assert.Equal("Pending", (await cluster.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim.Metadata.Name, "default")).Status.Phase);
    }

    [Fact]
    public async Task ClaimsAreValidatedAndTheirSpecIsImmutable()
    {
        var invalid = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = Pods.Unique("invalid") }, Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteSometimes"] } };
        var claim = await CreateClaimAsync(Pods.Unique("fixed"));

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(invalid, "default"), 422, "Invalid");
        var changed = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch("""{"spec":{"accessModes":["ReadWriteMany"]}}""", V1Patch.PatchType.MergePatch), claim.Metadata.Name, "default"),
            422,
            "Invalid");
        var grown = await cluster.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", V1Patch.PatchType.MergePatch), claim.Metadata.Name, "default");
        await cluster.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim.Metadata.Name, "default");

        Assert.Equal($"PersistentVolumeClaim \"{invalid.Metadata.Name}\" is invalid: [spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\", spec.resources[storage]: Required value]", status.GetProperty("message").GetString());
        Assert.Contains("spec: Forbidden: spec is immutable after creation except resources.requests", changed.GetProperty("message").GetString());
        Assert.Equal("2Gi", grown.Spec.Resources.Requests["storage"].ToString());
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim.Metadata.Name, "default"), 404, "NotFound");
    }

    private async Task<V1PersistentVolumeClaim> CreateClaimAsync(string name) =>
        await cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
            "default");

    /// <summary>Waits (on a watch) until the claim is bound.</summary>
    private async Task<V1PersistentVolumeClaim> BoundAsync(string name)
    {
        using var cts = new CancellationTokenSource(Waits.Default);
        var list = await cluster.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync("default", fieldSelector: $"metadata.name={name}", cancellationToken: cts.Token);
        if (list.Items.FirstOrDefault() is { Status.Phase: "Bound" } bound)
        {
            return bound;
        }

        await foreach (var (_, claim) in cluster.Client.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync("default", fieldSelector: $"metadata.name={name}", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (claim.Status?.Phase == "Bound")
            {
                return claim;
            }
        }

        throw new TimeoutException($"The claim {name} was not bound.");
    }

    private static V1Pod Mounting(V1Pod pod, string claim, bool readOnly = false)
    {
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnlyProperty = readOnly } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        return pod;
    }
}
