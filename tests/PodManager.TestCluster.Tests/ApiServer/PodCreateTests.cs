using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class PodCreateTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task InvalidNameIsRejectedWith422AndACause()
    {
        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell("Bad_Name", "true"), "default"),
            422,
            "Invalid");

        Assert.StartsWith("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of", status.GetProperty("message").GetString());
        var details = status.GetProperty("details");
        Assert.Equal("Pod", details.GetProperty("kind").GetString());
        Assert.Equal("Bad_Name", details.GetProperty("name").GetString());
        var cause = Assert.Single(details.GetProperty("causes").EnumerateArray());
        Assert.Equal("FieldValueInvalid", cause.GetProperty("reason").GetString());
        Assert.Equal("metadata.name", cause.GetProperty("field").GetString());
    }

    [Fact]
    public async Task SpecErrorsAreAllReported()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = Pods.Unique("spec") },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Sometimes",
                Containers =
                [
                    new V1Container { Name = "a", Image = "alpine" },
                    new V1Container { Name = "a" },
                ],
            },
        };

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default"), 422, "Invalid");

        var fields = status.GetProperty("details").GetProperty("causes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("spec.restartPolicy", fields);
        Assert.Contains("spec.containers[1].name", fields);
        Assert.Contains("spec.containers[1].image", fields);
        Assert.Contains("Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GenerateNameAppendsFiveCharactersFromTheApiServerAlphabet()
    {
        var pod = Pods.Shell(null!, "true");
        pod.Metadata.GenerateName = "job-";

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.Matches("^job-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
        Assert.Equal("job-", created.Metadata.GenerateName);
    }

    [Fact]
    public async Task ServerFillsMetadataDefaultsAndInitialStatus()
    {
        var pod = Pods.Shell(Pods.Unique("defaults"), "sleep 600", restartPolicy: null!, image: "busybox");
        pod.Spec.Containers.Add(new V1Container { Name = "tagged", Image = "alpine:3.19", Command = ["sleep", "600"] });

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(0, created.Metadata.CreationTimestamp!.Value.Millisecond);
        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.Equal("Always", created.Spec.RestartPolicy);
        Assert.Equal(30, created.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("ClusterFirst", created.Spec.DnsPolicy);
        Assert.Equal("default-scheduler", created.Spec.SchedulerName);
        Assert.Equal("default", created.Spec.ServiceAccountName);
        Assert.True(created.Spec.EnableServiceLinks);
        Assert.Equal("Always", created.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("IfNotPresent", created.Spec.Containers[1].ImagePullPolicy);
        Assert.Equal("/dev/termination-log", created.Spec.Containers[0].TerminationMessagePath);
        Assert.Equal("File", created.Spec.Containers[0].TerminationMessagePolicy);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal("BestEffort", created.Status.QosClass);
    }

    [Fact]
    public async Task QosClassFollowsRequestsAndLimits()
    {
        var guaranteed = Pods.Shell(Pods.Unique("qos"), "true");
        guaranteed.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
        };
        var burstable = Pods.Shell(Pods.Unique("qos"), "true");
        burstable.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m") },
        };

        Assert.Equal("Guaranteed", (await cluster.Client.CoreV1.CreateNamespacedPodAsync(guaranteed, "default")).Status.QosClass);
        Assert.Equal("Burstable", (await cluster.Client.CoreV1.CreateNamespacedPodAsync(burstable, "default")).Status.QosClass);
    }

    [Fact]
    public async Task CreatingInAMissingNamespaceIs404()
    {
        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell("x", "true"), "no-such-namespace"),
            404,
            "NotFound");

        Assert.Equal("namespaces \"no-such-namespace\" not found", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task CreatingATakenNameIs409AlreadyExists()
    {
        var name = Pods.Unique("dup");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");

        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default"),
            409,
            "AlreadyExists");

        Assert.Equal($"pods \"{name}\" already exists", status.GetProperty("message").GetString());
        Assert.Equal("pods", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ANamespaceInTheBodyMustMatchThePath()
    {
        var pod = Pods.Shell(Pods.Unique("ns"), "true");
        pod.Metadata.NamespaceProperty = "kube-system";

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default"), 400, "BadRequest");

        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ResourceVersionsIncreaseAcrossWrites()
    {
        var first = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("rv"), "true"), "default");
        var second = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("rv"), "true"), "default");
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
        Assert.True(long.Parse(list.Metadata.ResourceVersion) >= long.Parse(second.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task PatchChangesLabelsButNotTheSpec()
    {
        var name = Pods.Unique("patch");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");

        var patched = await cluster.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"already_checked\":\"True\"}}}", V1Patch.PatchType.MergePatch), name, "default");
        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"restartPolicy\":\"Always\"}}", V1Patch.PatchType.StrategicMergePatch), name, "default"),
            422,
            "Invalid");

        Assert.Equal("True", patched.Metadata.Labels["already_checked"]);
        Assert.Contains("pod updates may not change fields other than", status.GetProperty("message").GetString());
    }
}
