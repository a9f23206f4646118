using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class CreateAndCompleteTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task APodFromATemplateRunsAndItsFinalStateIsReported()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("echo hi; exit 3"), CancellationToken.None);
        Assert.Equal("default", created.Namespace);
        Assert.Equal(PodPhase.Pending, created.Phase);
        Assert.False(string.IsNullOrEmpty(created.Uid));

        var done = manager.ToKPod(await manager.AwaitPodCompletionAsync(created.Namespace, created.Name, TestPods.Generous, CancellationToken.None));
        Assert.Equal(PodPhase.Failed, done.Phase);
        Assert.Equal(3, done.ExitCode);
        Assert.Equal("Error", done.Status);
        Assert.Equal("0/1", done.Ready);
        Assert.Equal("base", done.BaseContainer);
        var container = Assert.Single(done.Containers);
        Assert.Equal("Terminated", container.State);
        Assert.Equal("Error", container.Reason);
        Assert.NotNull(container.FinishedAt);
        Assert.Same(manager.Connection, done.Connection);
    }

    [Fact]
    public async Task ASucceededPodIsCompleted()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        var done = manager.ToKPod(await manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None));
        Assert.Equal(PodPhase.Succeeded, done.Phase);
        Assert.Equal(0, done.ExitCode);
        Assert.Equal("Completed", done.Status);
    }

    [Fact] // apache/airflow#39693: a sidecar that never ends must not hang the wait
    public async Task ABaseContainerThatEndsCompletesThePodEvenWhileASidecarRuns()
    {
        var manager = cluster.NewManager();
        var pod = PodFactory.Build(TestPods.Shell("echo work done"), "default");
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "alpine", Command = ["sleep", "600"] });
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);

        var done = await manager.AwaitPodCompletionAsync("default", created.Metadata.Name, TestPods.Generous, CancellationToken.None);
        Assert.False(KPodConverter.ParsePhase(done.Status.Phase).IsTerminal());
        Assert.True(ContainerHelpers.ContainerIsTerminated(done, "base"));
        Assert.False(ContainerHelpers.ContainerIsCompleted(done, "sidecar"));
        await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: true, TestPods.Generous, CancellationToken.None);
    }

    [Fact]
    public async Task AWaitThatOutlivesItsTimeoutFailsWithPodCompletionTimeoutAndLeavesThePod()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 120"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("PodCompletionTimeout", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.OperationTimeout, error.Category);
        Assert.NotNull(await manager.TryReadPodAsync("default", created.Name, CancellationToken.None));
        Assert.True(await manager.DeletePodAsync("default", created.Name, 0, wait: true, TestPods.Generous, CancellationToken.None));
    }

    [Fact] // as Airflow's await_pod_start, which the completion wait used to leave out, waiting for ever
    public async Task ACompletionWaitForAPodNoNodeTakesFailsAtTheScheduleTimeoutWithTheSchedulersReason()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true") with { NodeSelector = new Dictionary<string, string> { ["disktype"] = "none-such" } }, CancellationToken.None);
        using var limit = new CancellationTokenSource(TestPods.Generous);
        try
        {
            // The scheduler's verdict first, so the timeout below cannot come before it whatever the load.
            await TestPods.UntilAsync(manager, created.Name, TestPods.IsUnschedulable);

            var error = await Assert.ThrowsAsync<PodManagerException>(() =>
                manager.AwaitPodCompletionAsync("default", created.Name, timeout: null, limit.Token, scheduleTimeout: TimeSpan.FromSeconds(1)));
            TestPods.AssertScheduleTimedOut(error, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
        }
        finally
        {
            await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task CancellingAWaitReturnsPromptly()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 120"), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = manager.AwaitPodCompletionAsync("default", created.Name, null, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task WaitingForAMissingPodIsPodNotFound()
    {
        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            cluster.NewManager().AwaitPodCompletionAsync("default", "does-not-exist", TestPods.Generous, CancellationToken.None));
        Assert.Equal("PodNotFound", error.ErrorId);
        Assert.Contains("does-not-exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APodDeletedDuringTheWaitIsPodNotFound()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 120"), CancellationToken.None);
        var waiting = manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => waiting);
        Assert.Equal("PodNotFound", error.ErrorId);
    }

    [Fact]
    public async Task CreatingOverSomeoneElsesPodIsAlreadyExists()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName();
        await manager.CreatePodAsync(TestPods.Shell("sleep 60", name), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.CreatePodAsync(TestPods.Shell("true", name), CancellationToken.None));
        Assert.Equal("AlreadyExists", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.ResourceExists, error.Category);
        Assert.Equal(409, error.StatusCode);
        await manager.DeletePodAsync("default", name, 0, wait: true, TestPods.Generous, CancellationToken.None);
    }

    [Fact] // as kubectl create: the server refuses a field it does not know instead of dropping it
    public async Task CreatesAskForStrictFieldValidation()
    {
        var manager = cluster.NewManager();
        var calls = new List<Api.ApiCall>();
        KPod created;
        using (Api.ApiCallListener.Listen(calls.Add))
        {
            created = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        }

        Assert.Contains(calls, call => call.Method == "POST" && call.PathAndQuery == "/api/v1/namespaces/default/pods?fieldValidation=Strict" && call.StatusCode == 201);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task AnInvalidNameIsInvalidPodSpecNamingTheField()
    {
        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            cluster.NewManager().CreatePodAsync(TestPods.Shell("true", "Bad_Name"), CancellationToken.None));
        Assert.Equal("InvalidPodSpec", error.ErrorId);
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("metadata.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingNamespaceIsNamespaceNotFound()
    {
        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            cluster.NewManager().CreatePodAsync(TestPods.Shell("true") with { Namespace = "nowhere" }, CancellationToken.None));
        Assert.Equal("NamespaceNotFound", error.ErrorId);
    }

    [Fact]
    public async Task DeletingWithWaitReturnsOnceThePodIsGoneAndAMissingPodIsNotAnError()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 120"), CancellationToken.None);
        Assert.True(await manager.DeletePodAsync("default", created.Name, 1, wait: true, TestPods.Generous, CancellationToken.None));
        Assert.Null(await manager.TryReadPodAsync("default", created.Name, CancellationToken.None));
        Assert.False(await manager.DeletePodAsync("default", created.Name, 1, wait: true, TestPods.Generous, CancellationToken.None));
    }
}
