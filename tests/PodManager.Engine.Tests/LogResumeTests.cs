using k8s.Models;
using PodManager.Engine.Connections;
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
            // About 10 s of writing, so the outage, begun at line 3,000, falls while lines are still being written.
            TestPods.Shell($"i=0; while [ $i -lt {Lines} ]; do i=$((i+1)); echo \"line $i\"; if [ $((i % 100)) -eq 0 ]; then sleep 0.1; fi; done"),
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

        // The next test must find the cluster up: wait the outage out.
        await using var patient = PodManager.Create(new ConnectionSettings { KubeConfigPath = cluster.KubeConfig }, new PodManagerOptions { Retry = ClusterFixture.PatientRetry });
        await patient.ListPodsAsync("default", null, null, CancellationToken.None);
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
        var created = await manager.CreatePodAsync(TakingTurnsPod(3), CancellationToken.None);

        var followed = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest { Follow = true }, CancellationToken.None))
        {
            followed.Add(line);
        }

        var read = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest(), CancellationToken.None))
        {
            read.Add(line);
        }

        AssertMergedInStampOrder(followed, turns: 3);
        AssertMergedInStampOrder(read, turns: 3);
        Assert.Equal(followed.Select(l => l.TimestampText), read.Select(l => l.TimestampText));
    }

    [Fact]
    public async Task AFollowHoldsTheOtherContainersWhileOneStreamIsStillOpening()
    {
        // The first log stream asked for opens 3 s late, after both containers have written all their lines. Were the
        // other container's lines released after the usual 250 ms, they would come out before the late stream's older ones.
        var manager = cluster.NewManager();
        var pod = TakingTurnsPod(2);
        await cluster.Server.Admin.AddFaultAsync(FaultRule.Delay(TimeSpan.FromSeconds(3), "GET", $"/api/v1/namespaces/default/pods/{pod.Metadata.Name}/log"));
        try
        {
            var created = await manager.CreatePodAsync(pod, CancellationToken.None);
            var followed = new List<KPodLogLine>();
            await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest { Follow = true }, CancellationToken.None))
            {
                followed.Add(line);
            }

            AssertMergedInStampOrder(followed, turns: 2);
        }
        finally
        {
            await cluster.Server.Admin.ClearFaultsAsync();
        }
    }

    /// <summary>
    /// Containers <c>base</c> and <c>second</c> write a1, b1, a2, b2, ... strictly in turn, through marker files in a
    /// shared volume, so their lines interleave in time however far apart the containers started.
    /// </summary>
    private static V1Pod TakingTurnsPod(int turns)
    {
        // The 0.3 s after each turn keeps the stamps apart: the kubelet stamps a line when it reads it, not when it is written.
        static string After(string marker) => $"until [ -e /turns/{marker} ]; do sleep 0.05; done; sleep 0.3; ";
        var first = string.Concat(Enumerable.Range(1, turns).Select(i => (i > 1 ? After($"b{i - 1}") : "") + $"echo a{i}; touch /turns/a{i}; "));
        var second = string.Concat(Enumerable.Range(1, turns).Select(i => After($"a{i}") + $"echo b{i}; touch /turns/b{i}; "));
        var pod = PodFactory.Build(TestPods.Shell(first), "default");
        pod.Spec.Containers.Add(new V1Container { Name = "second", Image = "alpine", Command = ["sh", "-c", second] });
        pod.Spec.Volumes = [new V1Volume { Name = "turns", EmptyDir = new V1EmptyDirVolumeSource() }];
        foreach (var container in pod.Spec.Containers)
        {
            container.VolumeMounts = [new V1VolumeMount { Name = "turns", MountPath = "/turns" }];
        }

        return pod;
    }

    /// <summary>Every line of a <see cref="TakingTurnsPod"/> once, in the order of their stamps: the merge's promise.</summary>
    private static void AssertMergedInStampOrder(IReadOnlyList<KPodLogLine> lines, int turns)
    {
        var expected = Enumerable.Range(1, turns).SelectMany(i => new[] { $"base:a{i}", $"second:b{i}" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, lines.Select(l => $"{l.Container}:{l.Message}").Order(StringComparer.Ordinal));
        var stamps = lines.Select(l => l.UnixNanoseconds ?? 0).ToList();
        Assert.True(stamps.SequenceEqual(stamps.Order()), "Out of stamp order: " + string.Join(", ", lines.Select(l => $"{l.Container}:{l.Message} at {l.TimestampText}")));
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
