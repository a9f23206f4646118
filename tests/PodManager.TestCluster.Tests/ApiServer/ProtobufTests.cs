using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PodManager.TestCluster.ApiServer.Protobuf;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

/// <summary><c>application/vnd.kubernetes.protobuf</c> bodies, in both directions (kubectl's generators are in the kubectl suite).</summary>
public sealed class ProtobufTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Protobuf = "application/vnd.kubernetes.protobuf";

    [Fact]
    public void APodWithEveryFieldOfTheApiSurvivesProtobufAndBack()
    {
        var pod = FullObjects.Of("v1", "Pod");

        var decoded = RoundTrip(pod);

        Assert.Equal(FullObjects.Paths(pod).Order(StringComparer.Ordinal), FullObjects.Paths(decoded).Order(StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(pod, decoded), decoded.ToJsonString());
        Assert.True(FullObjects.Paths(pod).Count() > 400, "the pod has every field of the API");
    }

    [Theory]
    [InlineData("v1", "Namespace")]
    [InlineData("v1", "Event")]
    [InlineData("v1", "Node")]
    [InlineData("v1", "ConfigMap")]
    [InlineData("v1", "Secret")]
    [InlineData("v1", "ServiceAccount")]
    [InlineData("v1", "PodList")]
    [InlineData("v1", "DeleteOptions")]
    [InlineData("v1", "Status")]
    [InlineData("policy/v1", "Eviction")]
    [InlineData("rbac.authorization.k8s.io/v1", "RoleBinding")]
    [InlineData("authorization.k8s.io/v1", "SelfSubjectAccessReview")]
    [InlineData("authentication.k8s.io/v1", "TokenRequest")]
    public void EveryKindWithEveryFieldSurvivesProtobufAndBack(string apiVersion, string kind)
    {
        var full = FullObjects.Of(apiVersion, kind);

        var decoded = RoundTrip(full);

        Assert.True(JsonNode.DeepEquals(full, decoded), decoded.ToJsonString());
    }

    [Fact]
    public void ZeroValuesOfPointerFieldsAreKeptAndOthersDroppedAsGoWouldOmitThem()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"zeros","namespace":""},
             "spec":{"terminationGracePeriodSeconds":0,"automountServiceAccountToken":false,"hostNetwork":false,"priority":0,
                     "containers":[{"name":"c","image":"alpine","ports":[{"containerPort":80,"hostPort":0}]}]}}
            """)!.AsObject();

        var decoded = RoundTrip(pod);

        var spec = decoded["spec"]!.AsObject();
        Assert.Equal(0, spec["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(0, spec["priority"]!.GetValue<int>());
        Assert.False(spec["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.False(spec.ContainsKey("hostNetwork"));
        Assert.Equal("{\"containerPort\":80}", spec["containers"]![0]!["ports"]![0]!.ToJsonString());
        Assert.False(decoded["metadata"]!.AsObject().ContainsKey("namespace"));
    }

    [Fact]
    public async Task APodSentAsProtobufIsStoredAsTheSameObjectAsTheSamePodSentAsJson()
    {
        var pod = ValidFullPod();
        using var http = cluster.Http();

        var fromJson = await CreateAsync(http, pod, new StringContent(pod.ToJsonString(), Encoding.UTF8, "application/json"));
        var fromProtobuf = await CreateAsync(http, pod, Envelope(pod));

        Assert.True(JsonNode.DeepEquals(fromJson, fromProtobuf), $"JSON:     {fromJson.ToJsonString()}\nprotobuf: {fromProtobuf.ToJsonString()}");
        Assert.Equal("250m", fromProtobuf["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]!.GetValue<string>());
    }

    [Fact]
    public async Task AClientThatPrefersProtobufGetsObjectsListsAndErrorsInProtobuf()
    {
        using var http = cluster.Http();
        http.DefaultRequestHeaders.Accept.ParseAdd($"{Protobuf}, application/json");

        using var item = await http.GetAsync("/api/v1/namespaces/default");
        using var list = await http.GetAsync("/api/v1/namespaces");
        using var missing = await http.GetAsync("/api/v1/namespaces/nothing-here");

        var ns = await DecodeAsync(item, HttpStatusCode.OK);
        var namespaces = await DecodeAsync(list, HttpStatusCode.OK);
        var status = await DecodeAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal("Namespace", ns["kind"]!.GetValue<string>());
        Assert.Equal("default", ns["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("NamespaceList", namespaces["kind"]!.GetValue<string>());
        Assert.Contains(namespaces["items"]!.AsArray(), n => n!["metadata"]!["name"]!.GetValue<string>() == "kube-system");
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("namespaces \"nothing-here\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AClientThatAcceptsOnlyProtobufGetsNotAcceptableForWhatHasNoProtobufForm()
    {
        using var http = cluster.Http();
        http.DefaultRequestHeaders.Accept.ParseAdd(Protobuf);

        using var response = await http.GetAsync("/version");

        var status = await DecodeAsync(response, HttpStatusCode.NotAcceptable);
        Assert.Equal("NotAcceptable", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMalformedProtobufBodyIsABadRequest()
    {
        using var http = cluster.Http();
        var content = new ByteArrayContent("k8s\0\u000a\u00ff"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);

        using var response = await http.PostAsync("/api/v1/namespaces", content);

        var status = await StatusAssert.ResponseAsync(response, 400, "BadRequest");
        Assert.StartsWith("the protobuf body could not be decoded:", status.GetProperty("message").GetString());
    }

    private static JsonObject RoundTrip(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        var type = ProtobufEnvelope.EncodableType(document.RootElement) ?? throw new InvalidOperationException("no protobuf type");
        return ProtobufEnvelope.Decode(ProtobufEnvelope.Encode(document.RootElement, type));
    }

    private static ByteArrayContent Envelope(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        var content = new ByteArrayContent(ProtobufEnvelope.Encode(document.RootElement, ProtobufEnvelope.EncodableType(document.RootElement)!));
        content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        return content;
    }

    /// <summary>Creates the pod as a dry run (validated and defaulted, not stored) and returns it without what differs per request.</summary>
    private static async Task<JsonObject> CreateAsync(HttpClient http, JsonObject pod, HttpContent content)
    {
        using var response = await http.PostAsync("/api/v1/namespaces/default/pods?dryRun=All&fieldManager=test", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var created = JsonNode.Parse(body)!.AsObject();
        var metadata = created["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "creationTimestamp", "managedFields" })
        {
            metadata.Remove(field);
        }

        Assert.Equal(pod["metadata"]!["name"]!.GetValue<string>(), metadata["name"]!.GetValue<string>());
        return created;
    }

    private static async Task<JsonObject> DecodeAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == expected, Encoding.UTF8.GetString(body));
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        return ProtobufEnvelope.Decode(body);
    }

    /// <summary>A pod with every field of the API, changed only where the API server's validation requires it.</summary>
    private static JsonObject ValidFullPod()
    {
        var pod = FullObjects.Of("v1", "Pod");
        var metadata = pod["metadata"]!.AsObject();
        metadata["name"] = Pods.Unique("full");
        metadata["namespace"] = "default";
        pod.Remove("status");
        var spec = pod["spec"]!.AsObject();
        spec["initContainers"]![0]!["name"] = "init";
        spec["ephemeralContainers"]![0]!["name"] = "debug";
        spec["containers"]![0]!.AsObject().Remove("restartPolicy");
        spec["ephemeralContainers"]![0]!.AsObject().Remove("restartPolicy");

        // Priority admission knows only the built-in classes and computes the priority and policy itself.
        spec["priorityClassName"] = "system-cluster-critical";
        spec.Remove("priority");
        spec["preemptionPolicy"] = "PreemptLowerPriority";

        // Values the validation of pods accepts where the filler ones are refused.
        spec["tolerations"]![0]!["operator"] = "Equal";
        spec["tolerations"]![0]!["effect"] = "NoExecute";
        spec["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchFields"]![0]!["key"] = "metadata.name";
        foreach (var container in new[] { spec["initContainers"]![0]!, spec["containers"]![0]! })
        {
            container["resources"]!["limits"] = new JsonObject { ["cpu"] = "500m" };
            container["resources"]!["requests"] = new JsonObject { ["cpu"] = "250m" };
        }

        return pod;
    }
}
