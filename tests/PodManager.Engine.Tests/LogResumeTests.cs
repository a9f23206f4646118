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
    public async Task AFollowWhoseStreamStaysOpenAfterTheContainerEndedEndsAfterTheIdleBoundWithEveryLine()
    {
        var manager = cluster.NewManager(new PodManagerOptions { Retry = ClusterFixture.FastRetry, FollowIdleTimeout = TimeSpan.FromMilliseconds(300) });
        await cluster.Server.Admin.AddFaultAsync(FaultRule.HoldLogStreams());
        try
        {
            var created = await manager.CreatePodAsync(TestPods.Shell("echo one; echo two"), CancellationToken.None);

            // Without the bound the follow waits on the held stream for ever; the limit turns that into a failure.
            using var limit = new CancellationTokenSource(TestPods.Generous);
            var lines = new List<string>();
            await foreach (var line in manager.ReadPodLogsAsync("default", created.Name, new LogRequest { Follow = true }, limit.Token))
            {
                lines.Add(line.Message);
            }

            Assert.Equal(["one", "two"], lines);
        }
        finally
        {
            await cluster.Server.Admin.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task SeveralContainersAreReadAtOnceAndMergedInTimeOrder()
    {
        // Each line is written only once the follow has delivered the one before it (the test gives the cue), so the
        // containers' lines interleave in time and reach the merge in that order however loaded the machine is.
        const int Turns = 3;
        var manager = cluster.NewManager();
        var created = await manager.CreatePodAsync(LinesOnCuePod(Turns), CancellationToken.None);
        var name = created.Metadata.Name;
        await TestPods.UntilAsync(manager, name, pod => pod.Status?.ContainerStatuses is { Count: 2 } statuses && statuses.All(s => s.State?.Running is not null));

        Task Cue(string container, string line) => manager.ExecAsync("default", name, container, ["touch", $"/turns/{line}"], stdin: null, startTimeout: null, CancellationToken.None);
        await Cue("base", "a1");
        var followed = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", name, ["base", "second"], new LogRequest { Follow = true }, CancellationToken.None))
        {
            followed.Add(line);
            var turn = int.Parse(line.Message[1..], System.Globalization.CultureInfo.InvariantCulture);
            if (line.Message[0] == 'a')
            {
                await Cue("second", $"b{turn}");
            }
            else if (turn < Turns)
            {
                await Cue("base", $"a{turn + 1}");
            }
        }

        var read = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, ["base", "second"], new LogRequest(), CancellationToken.None))
        {
            read.Add(line);
        }

        Assert.Equal(["base:a1", "second:b1", "base:a2", "second:b2", "base:a3", "second:b3"], followed.Select(l => $"{l.Container}:{l.Message}"));
        AssertMergedInStampOrder(followed, Turns);
        AssertMergedInStampOrder(read, Turns);
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

    /// <summary>
    /// Containers <c>base</c> and <c>second</c> write a1..aN and b1..bN, each line only once the test has created its cue
    /// file (<c>/turns/a1</c> ...) in their shared volume.
    /// </summary>
    private static V1Pod LinesOnCuePod(int turns)
    {
        static string OnCue(string line) => $"until [ -e /turns/{line} ]; do sleep 0.05; done; echo {line}; ";
        var pod = PodFactory.Build(TestPods.Shell(string.Concat(Enumerable.Range(1, turns).Select(i => OnCue($"a{i}")))), "default");
        pod.Spec.Containers.Add(new V1Container { Name = "second", Image = "alpine", Command = ["sh", "-c", string.Concat(Enumerable.Range(1, turns).Select(i => OnCue($"b{i}")))] });
        pod.Spec.Volumes = [new V1Volume { Name = "turns", EmptyDir = new V1EmptyDirVolumeSource() }];
        foreach (var container in pod.Spec.Containers)
        {
            container.VolumeMounts = [new V1VolumeMount { Name = "turns", MountPath = "/turns" }];
        }

        return pod;
    }

    /// <summary>Every line of a <see cref="TakingTurnsPod"/> or <see cref="LinesOnCuePod"/> once, in the order of their stamps: the merge's promise.</summary>
    private static void AssertMergedInStampOrder(IReadOnlyList<KPodLogLine> lines, int turns)
    {
        var expected = Enumerable.Range(1, turns).SelectMany(i => new[] { $"base:a{i}", $"second:b{i}" }).Order(StringComparer.Ordinal);
        Assert.Equal(expected, lines.Select(l => $"{l.Container}:{l.Message}").Order(StringComparer.Ordinal));
        var stamps = lines.Select(l => l.UnixNanoseconds ?? 0).ToList();
        Assert.True(stamps.SequenceEqual(stamps.Order()), "Out of stamp order: " + string.Join(", ", lines.Select(l => $"{l.Container}:{l.Message} at {l.TimestampText}")));
    }

    [Fact] // Airflow's test_fetch_container_logs_returning_last_timestamp and test_fetch_container_running_follow: the status says whether the container still runs and when it last wrote
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
        await TestPods.UntilAsync(manager, created.Metadata.Name, state => state.Status?.ContainerStatuses?.FirstOrDefault() is { RestartCount: >= 1, State.Waiting.Reason: "CrashLoopBackOff" });

        var previous = new List<KPodLogLine>();
        await foreach (var line in manager.ReadPodLogsAsync("default", created.Metadata.Name, new LogRequest { Previous = true }, CancellationToken.None))
        {
            previous.Add(line);
        }

        Assert.StartsWith("run at ", Assert.Single(previous).Message, StringComparison.Ordinal);
        await manager.DeletePodAsync("default", created.Metadata.Name, 0, wait: false, null, CancellationToken.None);
    }
}
