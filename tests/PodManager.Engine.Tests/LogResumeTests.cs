using k8s.Models;
using PodManager.Engine.Logs;
using PodManager.Engine.Pods;
using PodManager.TestCluster;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LogResumeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task TenThousandLinesArriveExactlyOnceThroughTwentyCutsAndAThreeSecondOutage()
    {
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry with { MaxAttempts = 20 } });
        const int Lines = 10_000;
        var created = await manager.CreatePodAsync(
            TestPods.Shell($"i=0; while [ $i -lt {Lines} ]; do i=$((i+1)); echo \"line $i\"; if [ $((i % 250)) -eq 0 ]; then sleep 0.1; fi; done"),
            CancellationToken.None);
        await cluster.Server.Admin.AddFaultAsync(FaultRule.CutLogStreams(afterLines: 150, count: 10));
        await cluster.Server.Admin.AddFaultAsync(FaultRule.CutLogStreams(afterLines: 90, count: 10, abort: true));

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var seen = new List<string>(Lines);
        Task? outage = null;
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Name, new LogRequest { Follow = true }, limit.Token))
        {
            seen.Add(line.Message);
            if (seen.Count == 3_000)
            {
                outage = cluster.Server.Admin.StartOutageAsync(TimeSpan.FromSeconds(3));
            }
        }

        Assert.NotNull(outage);
        await outage;
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), seen);
    }

    [Fact]
    public async Task AFollowThatIsCutJustBeforeTheContainerEndsStillGetsTheTail()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("for i in $(seq 1 50); do echo $i; done; sleep 0.5; echo last"), CancellationToken.None);
        await cluster.Server.Admin.AddFaultAsync(FaultRule.CutLogStreams(afterLines: 50, count: 1));
        var lines = new List<string>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Name, new LogRequest { Follow = true }, CancellationToken.None))
        {
            lines.Add(line.Message);
        }

        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"{i}").Append("last"), lines);
    }

    [Fact]
    public async Task SeveralContainersAreReadAtOnceAndMergedInTimeOrder()
    {
        var manager = cluster.NewManager();
        // The containers take turns through marker files, so the order of their lines does not depend on how far
        // apart they started (a loaded machine starts the second one late). The first line waits a second after both
        // run: a follow merges in order what its streams have delivered, and a stream opens only once the watch says
        // its container runs, which a loaded machine can take longer than the merge's 250 ms window to do.
        const string Await = "until [ -e /turns/{0} ]; do sleep 0.05; done; ";
        var pod = PodFactory.Build(TestPods.Shell(
            string.Format(Await, "started") + "sleep 1; echo a1; touch /turns/a1; " + string.Format(Await, "b1") + "echo a2; touch /turns/a2; " + string.Format(Await, "b2") + "echo a3; touch /turns/a3"), "default");
        pod.Spec.Containers.Add(new V1Container
        {
            Name = "second",
            Image = "alpine",
            Command = ["sh", "-c", "touch /turns/started; " + string.Format(Await, "a1") + "echo b1; touch /turns/b1; " + string.Format(Await, "a2") + "echo b2; touch /turns/b2; " + string.Format(Await, "a3") + "echo b3"],
        });
        pod.Spec.Volumes = [new V1Volume { Name = "turns", EmptyDir = new V1EmptyDirVolumeSource() }];
        foreach (var container in pod.Spec.Containers)
        {
            container.VolumeMounts = [new V1VolumeMount { Name = "turns", MountPath = "/turns" }];
        }

        var created = await manager.CreatePodAsync(pod, CancellationToken.None);

        var followed = new List<string>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest { Follow = true }, CancellationToken.None))
        {
            followed.Add($"{line.Container}:{line.Message}");
        }

        var read = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest(), CancellationToken.None))
        {
            read.Add(line);
        }

        string[] expected = ["base:a1", "second:b1", "base:a2", "second:b2", "base:a3", "second:b3"];
        Assert.Equal(expected, followed);
        Assert.Equal(expected, read.Select(l => $"{l.Container}:{l.Message}"));
        Assert.Equal(read.Select(l => l.TimestampText).Order(StringComparer.Ordinal), read.Select(l => l.TimestampText));
    }

    [Fact] // anchor scenarios 24 and 44: the status says whether the container still runs and when it last wrote
    public async Task FetchContainerLogsReportsTheLastLogTimeAndThatTheContainerEnded()
    {
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(TestPods.Shell("echo one; echo two"), CancellationToken.None);
        var lines = new List<KPodLogLine>();
        var status = await manager.FetchContainerLogsAsync("default", created.Name, "base", follow: true, sinceTime: null, lines.Add, CancellationToken.None);
        Assert.False(status.Running);
        Assert.Equal(lines[^1].Timestamp, status.LastLogTime);
        Assert.Equal(["one", "two"], lines.Select(l => l.Message));
    }

    [Fact]
    public async Task PreviousReadsTheRunBeforeARestart()
    {
        var manager = cluster.NewManager();
        var pod = PodFactory.Build(TestPods.Shell("echo run at $(date +%s%N); exit 1") with { RestartPolicy = "OnFailure" }, "default");
        var created = await manager.CreatePodAsync(pod, CancellationToken.None);
        await foreach (var state in manager.ObserveAsync("default", created.Metadata.Name, CancellationToken.None))
        {
            if (state?.Status?.ContainerStatuses?.FirstOrDefault() is { RestartCount: >= 1, State.Waiting.Reason: "CrashLoopBackOff" })
            {
                break;
            }
        }

        var previous = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, new LogRequest { Previous = true }, CancellationToken.None))
        {
            previous.Add(line);
        }

        Assert.StartsWith("run at ", Assert.Single(previous).Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
    }
}
