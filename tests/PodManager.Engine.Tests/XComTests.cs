using PodManager.Engine.Pods;
using PodManager.Engine.XCom;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class XComTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<(PodManager Manager, string Name)> XComPodAsync(string script, PodManagerOptions? options = null)
    {
        var manager = cluster.NewManager(options);
        var spec = PodSpec.FromTemplate(TestPods.Shell(script) with { Namespace = "default" });
        var created = await manager.CreateOrReattachAsync(spec, runKey: null, xcom: true, CancellationToken.None);
        return (manager, created.Pod.Name);
    }

    private static async Task<string> SidecarStateAfterExtractionAsync(PodManager manager, string name)
    {
        var done = await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None, XComDefaults.SidecarName);
        return done.Status.ContainerStatuses.Single(s => s.Name == XComDefaults.SidecarName).State.Terminated is { ExitCode: 0 } ? "stopped" : "running";
    }

    [Fact] // anchor scenarios 45 and 52
    public async Task AValidResultIsReturnedAsWrittenAndTheSidecarIsStopped()
    {
        var (manager, name) = await XComPodAsync("echo '{\"a\": [1, 2]}' > /airflow/xcom/return.json");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);

        var result = await manager.ExtractXComAsync("default", name, CancellationToken.None);

        Assert.Equal("{\"a\": [1, 2]}", result.Json);
        Assert.Empty(result.Warnings);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
        var pod = await manager.ReadPodAsync("default", name, CancellationToken.None);
        Assert.Equal("Succeeded", pod.Status.Phase);
    }

    [Fact] // anchor scenario 46
    public async Task InvalidJsonIsXComInvalidJsonAndTheSidecarIsStoppedAnyway()
    {
        var (manager, name) = await XComPodAsync("echo 'not json' > /airflow/xcom/return.json");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));

        Assert.Equal("XComInvalidJson", error.ErrorId);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
    }

    [Fact] // anchor scenario 47: the empty-result sentinel
    public async Task NoResultFileIsAnEmptyResult()
    {
        var (manager, name) = await XComPodAsync("echo 'no result today'");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Null((await manager.ExtractXComAsync("default", name, CancellationToken.None)).Json);
    }

    [Fact] // anchor scenario 48: the read itself fails
    public async Task AnUnreadableResultIsXComRetrievalFailed()
    {
        var (manager, name) = await XComPodAsync("mkdir /airflow/xcom/return.json; touch /airflow/xcom/return.json/x");
        await manager.AwaitPodCompletionAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));
        Assert.Equal("XComRetrievalFailed", error.ErrorId);
        Assert.Equal("stopped", await SidecarStateAfterExtractionAsync(manager, name));
    }

    [Fact] // anchor scenarios 49 and 51
    public async Task ASidecarThatDiedIsXComSidecarTerminated()
    {
        var (manager, name) = await XComPodAsync("echo '{}' > /airflow/xcom/return.json");
        await manager.AwaitXComSidecarStartAsync("default", name, TimeSpan.FromMinutes(1), CancellationToken.None);
        await cluster.Server.Admin.TerminateContainerAsync("default", name, XComDefaults.SidecarName, 137, "Error");
        await SidecarStateAfterExtractionAsync(manager, name);

        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));

        Assert.Equal("XComSidecarTerminated", error.ErrorId);
        Assert.StartsWith("Xcom sidecar container is already terminated!", error.Message, StringComparison.Ordinal);
    }

    [Fact] // anchor scenario 50
    public async Task ASidecarThatNeverStartsIsXComSidecarTimeout()
    {
        var options = new PodManagerOptions { Retry = ClusterFixture.FastRetry, XComSidecarImage = "does-not-exist/alpine", XComSidecarStartTimeout = TimeSpan.FromSeconds(2) };
        var (manager, name) = await XComPodAsync("true", options);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", name, CancellationToken.None));
        Assert.Equal("XComSidecarTimeout", error.ErrorId);
        Assert.Contains("did not start within", error.Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", name, 0, wait: false, null, CancellationToken.None);
    }

    [Fact]
    public async Task APodWithoutTheSidecarIsXComNotFound()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("true"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<PodManagerException>(() => manager.ExtractXComAsync("default", created.Name, CancellationToken.None));
        Assert.Equal("XComNotFound", error.ErrorId);
    }

    [Fact]
    public async Task AFailedStopOfTheSidecarIsAWarningNotAFailure()
    {
        var manager = cluster.NewManager();
        var warning = await manager.TryExtractXComKillAsync("default", "pod-that-is-gone");
        Assert.NotNull(warning);
        Assert.Contains("Could not stop the XCom sidecar", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTerminationMessageModeReadsJsonWithoutASidecar()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("echo '{\"ok\": true}' > /dev/termination-log"), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", created.Name, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("{\"ok\": true}", (await manager.ReadXComFromTerminationMessageAsync("default", created.Name, CancellationToken.None)).Json);
    }
}
