using k8s;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class ApiErrorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AnUnknownPathIsANotFoundStatus()
    {
        using var http = cluster.Http();

        using var response = await http.GetAsync("/api/v1/namespaces/default/widgets");
        var status = await StatusAssert.ResponseAsync(response, 404, "NotFound");

        Assert.Equal("the server could not find the requested resource", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AGetOfAMissingPodIsANotFoundStatusWithDetails()
    {
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync("nope", "default"), 404, "NotFound");

        Assert.Equal("pods \"nope\" not found", status.GetProperty("message").GetString());
        Assert.Equal("nope", status.GetProperty("details").GetProperty("name").GetString());
        Assert.Equal("pods", status.GetProperty("details").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestStatus()
    {
        using var http = cluster.Http();

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent("{not json", Encoding.UTF8, "application/json"));

        await StatusAssert.ResponseAsync(response, 400, "BadRequest");
    }

    [Fact]
    public async Task AnUnsupportedMethodIsMethodNotAllowed()
    {
        using var http = cluster.Http();

        using var response = await http.PutAsync("/api/v1/namespaces/default/pods", new StringContent("{}", Encoding.UTF8, "application/json"));

        await StatusAssert.ResponseAsync(response, 405, "MethodNotAllowed");
    }

    [Fact]
    public async Task AMissingTokenIsUnauthorized()
    {
        using var http = cluster.Http(token: string.Empty);

        using var response = await http.GetAsync("/api/v1/namespaces/default/pods");
        var status = await StatusAssert.ResponseAsync(response, 401, "Unauthorized");

        Assert.Equal("Unauthorized", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AWrongTokenIsUnauthorized()
    {
        using var http = cluster.Http(token: "not-the-token");

        using var response = await http.GetAsync("/version");

        await StatusAssert.ResponseAsync(response, 401, "Unauthorized");
    }

    [Fact]
    public async Task TheReadOnlyTokenMayReadButNotWrite()
    {
        using var http = cluster.Http(token: cluster.Server.ReadOnlyToken);

        using var read = await http.GetAsync("/api/v1/namespaces/default/pods");
        using var write = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent(KubernetesJson.Serialize(Pods.Shell("ro-pod", "true")), System.Text.Encoding.UTF8, "application/json"));
        var status = await StatusAssert.ResponseAsync(write, 403, "Forbidden");

        Assert.True(read.IsSuccessStatusCode);
        Assert.Equal("pods is forbidden: User \"testcluster-readonly\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task TheReadOnlyContextOfTheKubeConfigReadsButCannotCreate()
    {
        using var readOnly = new Kubernetes(LoopbackGuard.Load(cluster.Server.KubeConfigPath, "testcluster-readonly"));

        var pods = await readOnly.CoreV1.ListNamespacedPodAsync("default");
        var status = await StatusAssert.ThrowsAsync(() => readOnly.CoreV1.DeleteNamespacedPodAsync("anything", "default"), 403, "Forbidden");

        Assert.NotNull(pods);
        Assert.Equal("pods \"anything\" is forbidden: User \"testcluster-readonly\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task VersionAndLegacyDiscoveryAreServed()
    {
        using var http = cluster.Http();

        var version = await http.GetFromJsonAsync<JsonElement>("/version");
        var api = await http.GetFromJsonAsync<JsonElement>("/api");
        var apis = await http.GetFromJsonAsync<JsonElement>("/apis");
        var resources = await http.GetFromJsonAsync<JsonElement>("/api/v1");

        Assert.Equal("1", version.GetProperty("major").GetString());
        Assert.Equal("32", version.GetProperty("minor").GetString());
        Assert.Equal("APIVersions", api.GetProperty("kind").GetString());
        Assert.Equal("APIGroupList", apis.GetProperty("kind").GetString());
        var names = resources.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("pods", names);
        Assert.Contains("pods/log", names);
        Assert.Contains("pods/exec", names);
        Assert.Contains("namespaces", names);
        Assert.Contains("events", names);
    }

    [Fact]
    public async Task AggregatedDiscoveryIsChosenByTheAcceptHeader()
    {
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType?.ToString().Replace(" ", string.Empty));
        Assert.Equal("APIGroupDiscoveryList", body.GetProperty("kind").GetString());
        var pods = body.GetProperty("items")[0].GetProperty("versions")[0].GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("resource").GetString() == "pods");
        Assert.Equal("Namespaced", pods.GetProperty("scope").GetString());
    }
}
