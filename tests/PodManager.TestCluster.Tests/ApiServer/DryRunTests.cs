using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

/// <summary><c>dryRun=All</c>: every stage of a write runs, nothing is stored, nothing runs, nothing is announced.</summary>
public sealed class DryRunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ADryRunCreateAnswersThePodAsItWouldBeStoredAndStoresNothing()
    {
        var marker = Pods.Unique("marker");
        var pod = Pods.Shell(null!, "echo should never run", restartPolicy: null!);
        pod.Metadata.GenerateName = "dry-";
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }];
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");
        using var cts = new CancellationTokenSource(Waits.Default);
        await using var watch = await RawWatch.StartAsync(cluster.Http(), $"/api/v1/namespaces/default/pods?watch=true&resourceVersion={list.Metadata.ResourceVersion}", cts.Token);

        var answered = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default", dryRun: "All");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(marker, "true"), "default");

        Assert.Matches("^dry-[bcdfghjklmnpqrstvwxz2456789]{5}$", answered.Metadata.Name);
        Assert.True(Guid.TryParse(answered.Metadata.Uid, out _));
        Assert.NotNull(answered.Metadata.CreationTimestamp);
        Assert.Null(answered.Metadata.ResourceVersion);
        Assert.Equal("Always", answered.Spec.RestartPolicy);
        Assert.Equal("default", answered.Spec.ServiceAccountName);
        Assert.Equal("IfNotPresent", answered.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal(0, answered.Spec.Priority);
        Assert.Equal("regcred", Assert.Single(answered.Spec.ImagePullSecrets).Name);
        Assert.Equal("Pending", answered.Status.Phase);
        Assert.Null(answered.Spec.NodeName);
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(answered.Metadata.Name, "default"), 404, "NotFound");
        var (type, first) = await watch.NextAsync(cts.Token);
        Assert.Equal("ADDED", type);
        Assert.Equal(marker, first.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={answered.Metadata.Name}")).Items);
    }

    [Fact]
    public async Task ADryRunCreateFailsAsARealCreateWould()
    {
        var existing = Pods.Unique("taken");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(existing, "true"), "default");
        var unknownClass = Pods.Shell(Pods.Unique("vip"), "true");
        unknownClass.Spec.PriorityClassName = "gold";

        var invalid = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell("Bad_Name", "true"), "default", dryRun: "All"), 422, "Invalid");
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(existing, "true"), "default", dryRun: "All"), 409, "AlreadyExists");
        var forbidden = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(unknownClass, "default", dryRun: "All"), 403, "Forbidden");
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("lost"), "true"), "no-such-namespace", dryRun: "All"), 404, "NotFound");
        var badValue = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("odd"), "true"), "default", dryRun: "Some"), 422, "Invalid");

        Assert.StartsWith("Pod \"Bad_Name\" is invalid: metadata.name", invalid.GetProperty("message").GetString());
        Assert.Equal($"pods \"{unknownClass.Metadata.Name}\" is forbidden: no PriorityClass with name gold was found", forbidden.GetProperty("message").GetString());
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\"", badValue.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DryRunUpdatesPatchesAndDeletesChangeNothing()
    {
        var name = Pods.Unique("kept");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        var running = await Waits.ForRunningAsync(cluster.Client, "default", name);

        var patched = await cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"tier":"dry"}}}""", V1Patch.PatchType.MergePatch), name, "default", dryRun: "All");
        running.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "replaced" };
        var replaced = await cluster.Client.CoreV1.ReplaceNamespacedPodAsync(running, name, "default", dryRun: "All");
        var deleted = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", dryRun: "All");
        await cluster.Client.CoreV1.DeleteCollectionNamespacedPodAsync("default", fieldSelector: $"metadata.name={name}", dryRun: "All");
        var stored = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");

        Assert.Equal("dry", patched.Metadata.Labels["tier"]);
        Assert.Equal("replaced", replaced.Metadata.Labels["tier"]);
        Assert.Equal(running.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
        Assert.NotNull(deleted.Metadata.DeletionTimestamp);
        Assert.Equal(30, deleted.Metadata.DeletionGracePeriodSeconds);
        Assert.Null(stored.Metadata.Labels);
        Assert.Null(stored.Metadata.DeletionTimestamp);
        Assert.Equal("Running", stored.Status.Phase);
        Assert.Equal(running.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact]
    public async Task PriorityClassesResolveToThePodsPriority()
    {
        var critical = Pods.Shell(Pods.Unique("critical"), "true");
        critical.Spec.PriorityClassName = "system-node-critical";
        var generated = Pods.Shell(null!, "true");
        generated.Metadata.GenerateName = "batch-";
        generated.Spec.PriorityClassName = "high-priority";
        var mismatched = Pods.Shell(Pods.Unique("mismatch"), "true");
        mismatched.Spec.PriorityClassName = "system-cluster-critical";
        mismatched.Spec.Priority = 7;

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(critical, "default");
        var plain = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("plain"), "true"), "default", dryRun: "All");
        var unknown = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(generated, "default"), 403, "Forbidden");
        var conflict = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(mismatched, "default"), 403, "Forbidden");

        Assert.Equal(2_000_001_000, created.Spec.Priority);
        Assert.Equal("PreemptLowerPriority", created.Spec.PreemptionPolicy);
        Assert.Equal(0, plain.Spec.Priority);
        Assert.Equal("pods \"batch-\" is forbidden: no PriorityClass with name high-priority was found", unknown.GetProperty("message").GetString());
        Assert.Equal("batch-", unknown.GetProperty("details").GetProperty("name").GetString());
        Assert.Equal($"pods \"{mismatched.Metadata.Name}\" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name", conflict.GetProperty("message").GetString());
        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", created.Metadata.Name)).Status.Phase);
    }
}
