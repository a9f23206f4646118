using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class ExecTests(FastBackOffClusterFixture cluster) : IClassFixture<FastBackOffClusterFixture>
{
    [Fact]
    public async Task ACommandIntoAContainerThatHasNotStartedYetWaitsForIt()
    {
        var manager = cluster.NewManager();
        var pod = PodFactory.Build(TestPods.Shell("true"), "default");
        // An image of its own, so that no earlier pull has left it on the node.
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = $"registry.example/slow-pull/{pod.Metadata.Name}:1", Command = ["sleep", "300"] });
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);

        // The sidecar is still being pulled when the command is sent.
        var result = await manager.ExecAsync("default", created.Metadata.Name, "sidecar", ["echo", "ready"], null, TestPods.Generous, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ready\n", result.StdOut);
        await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task AContainerThatHasEndedIsContainerNotRunningWithItsExitCode()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("exit 3"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.ExecAsync("default", created.Name, null, ["echo", "hi"], null, null, CancellationToken.None));

        Assert.Equal("ContainerNotRunning", error.ErrorId);
        Assert.Contains("Container 'base' of pod default/", error.Message, StringComparison.Ordinal);
        Assert.Contains("terminated with exit code 3 (Error)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters", error.Message, StringComparison.Ordinal);
        Assert.Equal(created.Name, error.Pod!.Name);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task AContainerThePodDoesNotHaveIsContainerNotFoundListingTheRealOnes()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("sleep 300"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.ExecAsync("default", created.Name, "nosuch", ["echo", "hi"], null, null, CancellationToken.None));

        Assert.Equal("ContainerNotFound", error.ErrorId);
        Assert.EndsWith("has no container 'nosuch'. Its containers are: base. Give one of them with -Container.", error.Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task AContainerThatDoesNotRunWithinTheTimeoutIsContainerStartTimeout()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true") with { CpuRequest = "64" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.ExecAsync("default", created.Name, null, ["echo", "hi"], null, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Equal("ContainerStartTimeout", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.OperationTimeout, error.Category);
        Assert.Contains($"Container 'base' of pod default/{created.Name} was not running after 1 s", error.Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", created.Name, 0, wait: false, null, CancellationToken.None);
    }
}
