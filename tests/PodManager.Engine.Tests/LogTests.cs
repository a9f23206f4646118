using PodManager.Engine.Logs;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LogTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<(PodManager Manager, string Name)> FinishedPodAsync(string script)
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell(script), CancellationToken.None);
        await manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None);
        return (manager, created.Name);
    }

    private static async Task<List<KPodLogLine>> ReadAllAsync(PodManager manager, string name, LogRequest request, CancellationToken cancellationToken = default)
    {
        var lines = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", name, request, cancellationToken))
        {
            lines.Add(line);
        }

        return lines;
    }

    [Fact]
    public async Task StdoutAndStderrLinesArriveInOrderWithNanosecondTimestamps()
    {
        var (manager, name) = await FinishedPodAsync("echo one; echo two >&2; printf three");
        var lines = await ReadAllAsync(manager, name, new LogRequest());
        Assert.Equal(["one", "two", "three"], lines.Select(l => l.Message));
        Assert.All(lines, l =>
        {
            Assert.Equal("base", l.Container);
            Assert.Equal(name, l.Pod);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", l.TimestampText);
        });
        Assert.Equal(lines.OrderBy(l => l.TimestampText, StringComparer.Ordinal).Select(l => l.Message), lines.Select(l => l.Message));
    }

    [Fact]
    public async Task TailLinesKeepsTheEnd()
    {
        var (manager, name) = await FinishedPodAsync("for i in 1 2 3 4 5; do echo $i; done");
        var lines = await ReadAllAsync(manager, name, new LogRequest { TailLines = 2 });
        Assert.Equal(["4", "5"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task LimitBytesCountsMessageBytesLikeKubectlWithoutTimestamps()
    {
        var (manager, name) = await FinishedPodAsync("echo abcdef; echo ghijkl");
        var lines = await ReadAllAsync(manager, name, new LogRequest { LimitBytes = 10 });
        Assert.Equal(["abcdef", "ghi"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task SinceTimeSkipsEarlierLines()
    {
        // The API server keeps only the whole seconds of sinceTime, so "late" must be stamped in a later second than
        // "early": the pod writes it only when told to, once the clock (the cluster's, in this process) has passed
        // early's second. The wait is for that state of the clock, which is what the test is about.
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell($"echo early; {TestPods.AwaitRelease()}; echo late"), CancellationToken.None);
        DateTimeOffset early = default;
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Name, new LogRequest { Follow = true }, CancellationToken.None))
        {
            early = line.Timestamp!.Value;
            break;
        }

        var nextSecond = new DateTimeOffset(early.UtcTicks - (early.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        while (DateTimeOffset.UtcNow < nextSecond)
        {
            await Task.Delay(nextSecond - DateTimeOffset.UtcNow);
        }

        await TestPods.ReleaseAsync(manager, created.Name);
        await manager.AwaitPodCompletionAsync("default", created.Name, TestPods.Generous, CancellationToken.None);
        var all = await ReadAllAsync(manager, created.Name, new LogRequest());
        var lines = await ReadAllAsync(manager, created.Name, new LogRequest { SinceTime = nextSecond });
        Assert.Equal(["early", "late"], all.Select(l => l.Message));
        Assert.Equal(["late"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task FollowStreamsARunningContainerUntilItEnds()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("for i in $(seq 1 30); do echo line-$i; sleep 0.05; done"), CancellationToken.None);
        var lines = await ReadAllAsync(manager, created.Name, new LogRequest { Follow = true });
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"line-{i}"), lines.Select(l => l.Message));
    }

    [Fact]
    public async Task FollowOfAPendingPodWaitsForTheContainerToStart()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("echo started"), CancellationToken.None);
        var lines = await ReadAllAsync(manager, created.Name, new LogRequest { Follow = true });
        Assert.Equal(["started"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task TimestampsOptionPutsTheStampFirstInTheText()
    {
        var (manager, name) = await FinishedPodAsync("echo hello");
        var line = Assert.Single(await ReadAllAsync(manager, name, new LogRequest { Timestamps = true }));
        Assert.Equal($"{line.TimestampText} hello", line.ToString());
        var plain = Assert.Single(await ReadAllAsync(manager, name, new LogRequest()));
        Assert.Equal("hello", plain.ToString());
    }

    [Fact]
    public async Task AnUnknownContainerIsContainerNotFoundListingTheRealOnes()
    {
        var (manager, name) = await FinishedPodAsync("true");
        var error = await Assert.ThrowsAsync<PodManagerException>(() => ReadAllAsync(manager, name, new LogRequest { Container = "nope" }));
        Assert.Equal("ContainerNotFound", error.ErrorId);
        Assert.Contains("base", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPodIsPodNotFound()
    {
        var error = await Assert.ThrowsAsync<PodManagerException>(() => ReadAllAsync(cluster.NewManager(), "no-such-pod", new LogRequest()));
        Assert.Equal("PodNotFound", error.ErrorId);
    }

    [Fact] // issue 10, Airflow's get_container_names: "all containers" leaves the idle XCom sidecar out, so a follow ends with the work
    public async Task AllContainersOfAnXComPodLeaveTheSidecarOutAndTheirFollowEndsWithTheWork()
    {
        var manager = cluster.NewManager();
        var spec = Pods.PodDescription.FromBuildOptions(TestPods.Shell("echo working; echo '{}' > /airflow/xcom/return.json") with { Namespace = "default" });
        var created = await manager.CreateOrReattachAsync(spec, runKey: null, xcom: true, CancellationToken.None);

        var names = await manager.GetContainerNamesAsync("default", created.Pod.Name, CancellationToken.None);
        var lines = new List<string>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Pod.Name, names, new LogRequest { Follow = true }, CancellationToken.None))
        {
            lines.Add(line.Message);
        }

        Assert.Equal(["base"], names);
        Assert.Equal(["working"], lines);
        Assert.Equal(["base", "airflow-xcom-sidecar"], await manager.GetContainerNamesAsync("default", created.Pod.Name, CancellationToken.None, includeXComSidecar: true));
        await manager.DeletePodAsync("default", created.Pod.Name, 0, wait: false, null, CancellationToken.None);
    }
}
