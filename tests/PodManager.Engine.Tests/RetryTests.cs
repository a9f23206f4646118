using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class RetryTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private async Task<long> CountAsync(string key) =>
        (await cluster.Server.Admin.GetRequestCountsAsync()).GetValueOrDefault(key);

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task TransientStatusesAreRetriedUntilTheCallSucceeds(int status)
    {
        var manager = cluster.NewManager();
        await cluster.Server.Admin.ResetRequestCountsAsync();
        await cluster.Server.Admin.AddFaultAsync(FaultRule.ForStatus(status, "POST", Pods, count: 2, retryAfterSeconds: status == 429 ? 1 : null));

        var pod = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);

        Assert.Equal(3, await CountAsync("create pods"));
        Assert.NotNull(await manager.TryReadPodAsync("default", pod.Name, CancellationToken.None));
        await manager.DeletePodAsync("default", pod.Name, 0, wait: true, TestPods.Generous, CancellationToken.None);
    }

    [Theory]
    [InlineData(400, "BadRequest")]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "PodNotFound")]
    [InlineData(422, "InvalidPodSpec")]
    public async Task OtherStatusesFailAtOnceWithTheirOwnErrorId(int status, string errorId)
    {
        var manager = cluster.NewManager();
        await cluster.Server.Admin.ResetRequestCountsAsync();
        await cluster.Server.Admin.AddFaultAsync(FaultRule.ForStatus(status, "GET", Pods + "/some-pod", count: 1));

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ReadPodAsync("default", "some-pod", CancellationToken.None));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, await CountAsync("get pods"));
        await cluster.Server.Admin.ClearFaultsAsync();
    }

    [Fact]
    public async Task APersistentOutageOfTheApiEndsAfterFiveAttemptsAsApiUnavailable()
    {
        var manager = cluster.NewManager();
        await cluster.Server.Admin.ResetRequestCountsAsync();
        await cluster.Server.Admin.AddFaultAsync(FaultRule.ForStatus(503, "GET", Pods + "/flaky", count: 50));

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ReadPodAsync("default", "flaky", CancellationToken.None));

        Assert.Equal("ApiUnavailable", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.ResourceUnavailable, error.Category);
        Assert.Equal(5, await CountAsync("get pods"));
        await cluster.Server.Admin.ClearFaultsAsync();
    }

    [Fact] // the pitfall of Airflow's test_start_pod_retries_on_409_or_429_error: the create went through but its answer was lost
    public async Task ACreateWhoseResponseWasLostAdoptsItsOwnPodInsteadOfFailingOrDuplicating()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName("adopt");
        await cluster.Server.Admin.ResetRequestCountsAsync();
        await cluster.Server.Admin.AddFaultAsync(FaultRule.DropResponse("POST", Pods, count: 1));

        var pod = await manager.CreatePodAsync(TestPods.Shell("true", name), CancellationToken.None);

        Assert.Equal(name, pod.Name);
        Assert.Equal(2, await CountAsync("create pods"));
        var all = await manager.ListPodsAsync("default", null, $"metadata.name={name}", CancellationToken.None);
        Assert.Equal(pod.Uid, Assert.Single(all).Uid);
        await manager.DeletePodAsync("default", name, 0, wait: true, TestPods.Generous, CancellationToken.None);
    }
}
