using System.Collections.Concurrent;
using PodManager.Engine.Api;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>
/// Credentials that are rotated or expire while PodManager runs. Each test has a cluster of its own: rotating and
/// expiring credentials touches every token with a lifetime.
/// </summary>
public sealed class CredentialRefreshTests : IAsyncLifetime
{
    private readonly ClusterFixture cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Theory]
    [InlineData(TestClusterContexts.TokenFile)]
    [InlineData(TestClusterContexts.Exec)]
    public async Task ARunSpanningARotationFinishesWithEveryLogLineOnce(string context)
    {
        var manager = cluster.NewManager(context: context);
        var name = TestPods.UniqueName();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new ConcurrentQueue<string>();
        var script = "for i in 1 2 3; do echo before $i; done; while [ ! -f /tmp/go ]; do sleep 0.1; done; for i in 1 2 3; do echo after $i; done; echo '{\"rotated\": true}' > /airflow/xcom/return.json";
        var run = manager.RunPodAsync(new PodRunRequest
        {
            Pod = PodDescription.FromBuildOptions(TestPods.Shell(script, name) with { Namespace = "default" }),
            XCom = true,
            Timeout = TestPods.Generous,
            OnLogLine = line =>
            {
                lines.Enqueue(line.Message);
                if (line.Message == "before 3")
                {
                    started.TrySetResult();
                }
            },
        }, CancellationToken.None);

        await started.Task.WaitAsync(TestPods.Generous);
        await cluster.Server.Admin.RotateCredentialsAsync();
        await cluster.Server.Admin.CloseWatchesAsync();

        // The exec is the first request with the old token, and has to read the new one itself.
        var go = await manager.ExecAsync("default", name, PodDefaults.BaseContainerName, ["touch", "/tmp/go"], null, null, CancellationToken.None);
        var outcome = await run.WaitAsync(TestPods.Generous);

        Assert.Equal(0, go.ExitCode);
        Assert.Null(outcome.Failure);
        Assert.Equal("{\"rotated\": true}", outcome.Result.XComJson);
        Assert.Equal(["before 1", "before 2", "before 3", "after 1", "after 2", "after 3"], lines.ToArray());
        Assert.True(outcome.Result.Deleted);
    }

    [Fact]
    public async Task AnExpiredStaticTokenIsUnauthorizedNamingTheUserAndServerAndThatNothingCanRefreshIt()
    {
        var manager = cluster.NewManager(context: TestClusterContexts.Expiring);
        await manager.ListPodsAsync("default", null, null, CancellationToken.None);
        await cluster.Server.Admin.ExpireCredentialsAsync();

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ListPodsAsync("default", null, null, CancellationToken.None));

        Assert.Equal("Unauthorized", error.ErrorId);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains($"The API server at {manager.Connection.Server} rejected the credentials of user \"testcluster-expiring\" of context \"testcluster-expiring\", and they have no source to be read again from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecond401AfterRereadingTheSourceIsUnauthorizedNamingTheSource()
    {
        var manager = cluster.NewManager(context: TestClusterContexts.TokenFile);
        await manager.ListPodsAsync("default", null, null, CancellationToken.None);
        await cluster.Server.Admin.ExpireCredentialsAsync();
        var calls = new ConcurrentQueue<ApiCall>();

        PodManagerException error;
        using (ApiCallListener.Listen(calls.Enqueue))
        {
            error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ListPodsAsync("default", null, null, CancellationToken.None));
        }

        Assert.Equal("Unauthorized", error.ErrorId);
        Assert.Contains("rejected the credentials of user \"testcluster-tokenfile\" of context \"testcluster-tokenfile\", also with a token read again from the token file ", error.Message, StringComparison.Ordinal);
        Assert.Single(calls, c => c.StatusCode == 401);
    }
}
