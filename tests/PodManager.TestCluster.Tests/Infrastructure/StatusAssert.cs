using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>Checks that a failure carries a Kubernetes Status with the expected code and reason.</summary>
public static class StatusAssert
{
    public static async Task<JsonElement> ThrowsAsync(Func<Task> call, int code, string reason)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal((HttpStatusCode)code, error.Response.StatusCode);
        return Check(error.Response.Content, code, reason);
    }

    public static async Task<JsonElement> ResponseAsync(HttpResponseMessage response, int code, string reason)
    {
        Assert.Equal((HttpStatusCode)code, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Check(await response.Content.ReadAsStringAsync(), code, reason);
    }

    private static JsonElement Check(string body, int code, string reason)
    {
        var status = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("v1", status.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal(reason, status.GetProperty("reason").GetString());
        Assert.Equal(code, status.GetProperty("code").GetInt32());
        return status;
    }
}
