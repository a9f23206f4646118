using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class UpdateTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AReplaceWithAStaleResourceVersionIsAConflict()
    {
        var name = Pods.Unique("stale");
        var pod = Pods.Shell(name, "true");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["nowhere"] = "true" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var settled = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.Conditions?.Any(c => c.Reason == "Unschedulable") == true);
        settled.Metadata.Labels = new Dictionary<string, string> { ["first"] = "write" };
        var replaced = await cluster.Client.CoreV1.ReplaceNamespacedPodAsync(settled, name, "default");

        settled.Metadata.Labels["second"] = "write";
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReplaceNamespacedPodAsync(settled, name, "default"), 409, "Conflict");

        Assert.Equal("write", replaced.Metadata.Labels["first"]);
        Assert.Equal($"Operation cannot be fulfilled on pods \"{name}\": the object has been modified; please apply your changes to the latest version and try again", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AReplaceWithoutAResourceVersionIsInvalid()
    {
        var name = Pods.Unique("no-version");
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        created.Metadata.ResourceVersion = null;

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReplaceNamespacedPodAsync(created, name, "default"), 422, "Invalid");

        Assert.Equal($"Pod \"{name}\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AJsonPatchAddsAnAnnotation()
    {
        var name = Pods.Unique("jsonpatch");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");

        var patched = await cluster.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"note\":\"hi\"}}]", V1Patch.PatchType.JsonPatch), name, "default");

        Assert.Equal("hi", patched.Metadata.Annotations["note"]);
    }

    [Fact]
    public async Task StrictFieldValidationRejectsUnknownFields()
    {
        using var http = cluster.Http();
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{"containers":[{"name":"a","image":"alpine","bogus":1}]}}""".Replace("NAME", Pods.Unique("strict"), StringComparison.Ordinal);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var status = await StatusAssert.ResponseAsync(response, 400, "BadRequest");

        Assert.EndsWith("strict decoding error: unknown field \"spec.containers[0].bogus\"", status.GetProperty("message").GetString());
    }

    [Fact] // as the API server's strict decoding: a null value does not hide an unknown field, a repeated field is named, in the body's order
    public async Task StrictFieldValidationNamesNullUnknownAndDuplicateFields()
    {
        using var http = cluster.Http();
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","name":"NAME"},"spec":{"bogus":null,"containers":[{"name":"a","image":"alpine","comand":["true"],"comand":["x"]}],"restartPolicy":"Never","restartPolicy":"Never"}}""".Replace("NAME", Pods.Unique("strict"), StringComparison.Ordinal);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var status = await StatusAssert.ResponseAsync(response, 400, "BadRequest");

        Assert.EndsWith(
            "strict decoding error: duplicate field \"metadata.name\", unknown field \"spec.bogus\", unknown field \"spec.containers[0].comand\", duplicate field \"spec.restartPolicy\"",
            status.GetProperty("message").GetString());
    }

    [Fact] // Warn is the API server's default: the object is created without the field, with a warning for each
    public async Task WithoutFieldValidationUnknownFieldsAreDroppedWithAWarning()
    {
        using var http = cluster.Http();
        var name = Pods.Unique("warn");
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{"containers":[{"name":"a","image":"alpine","command":["true"],"bogus":1}],"restartPolicy":"Never"}}""".Replace("NAME", name, StringComparison.Ordinal);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.containers[0].bogus\\\"\""], response.Headers.GetValues("Warning"));
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact] // the cluster is Kubernetes 1.32: fields of later versions, which KubernetesClient's models know, are unknown
    public async Task FieldsOfALaterKubernetesAreUnknownAndDropped()
    {
        using var http = cluster.Http();
        var name = Pods.Unique("later");
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{"hostnameOverride":"other","containers":[{"name":"a","image":"alpine","command":["true"],"restartPolicyRules":[{"action":"Restart"}]}],"restartPolicy":"Never"}}""".Replace("NAME", name, StringComparison.Ordinal);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.hostnameOverride\\\"\"", "299 - \"unknown field \\\"spec.containers[0].restartPolicyRules\\\"\""], response.Headers.GetValues("Warning"));
        var stored = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        Assert.Null(stored.Spec.HostnameOverride);
        Assert.Null(stored.Spec.Containers[0].RestartPolicyRules);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact] // every enum field of the API, not only those the pod validation names itself, in the order of the object
    public async Task AnEnumFieldOutsideItsValuesIsInvalid()
    {
        var pod = Pods.Shell(Pods.Unique("enum"), "true");
        pod.Spec.DnsPolicy = "Bogus";
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = "HTTP" }];

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default"), 422, "Invalid");

        Assert.Equal(
            $"Pod \"{pod.Metadata.Name}\" is invalid: [spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\", spec.dnsPolicy: Unsupported value: \"Bogus\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\"]",
            status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DeleteCollectionRemovesTheSelectedPods()
    {
        var label = Pods.Unique("collection");
        for (var i = 0; i < 3; i++)
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(Pods.Unique("member"), "true", labels: new Dictionary<string, string> { ["test"] = label }), "default");
        }

        await cluster.Client.CoreV1.DeleteCollectionNamespacedPodAsync("default", labelSelector: $"test={label}", gracePeriodSeconds: 0);

        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"test={label}")).Items);
    }

    [Fact]
    public async Task TheEvictionSubresourceDeletesThePodGracefully()
    {
        var name = Pods.Unique("evictee");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");

        await cluster.Client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } }, name, "default");
        await Waits.ForDeletionAsync(cluster.Client, "default", name);

        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default"), 404, "NotFound");
    }

    [Fact]
    public async Task CreatingInATerminatingNamespaceIsForbidden()
    {
        var ns = Pods.Unique("closing");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command("holder", "sleep", "3600"), ns);
        await Waits.ForRunningAsync(cluster.Client, ns, "holder");
        await cluster.Client.CoreV1.DeleteNamespaceAsync(ns);

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell("late", "true"), ns), 403, "Forbidden");

        Assert.Equal($"pods \"late\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", status.GetProperty("message").GetString());
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("holder", ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Waits.ForNamespaceDeletionAsync(cluster.Client, ns);
    }
}
