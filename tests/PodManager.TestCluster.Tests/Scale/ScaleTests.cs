using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PodManager.TestCluster.Tests.Scale;

/// <summary>
/// Issue 3 §6: 300 pods each running <c>sleep 5</c>, created at once, against the cluster executable. Every pod
/// must complete and a watch must see each one's transitions in order. The timings and resource use are
/// written to the test output for docs/test-cluster.md; they are measured, never asserted.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    private const int PodCount = 300;

    [Fact]
    public async Task ThreeHundredPodsAllCompleteAndTheWatchSeesEveryTransition()
    {
        await using var cluster = await ClusterProcess.StartAsync("--node-pods", PodCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = new Kubernetes(LoopbackGuard.Load(cluster.KubeConfig));
        var label = Pods.Unique("scale");
        var list = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"test={label}");
        var phases = new ConcurrentDictionary<string, List<string>>();
        var succeeded = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var lastVersion = 0L;
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync("default", labelSelector: $"test={label}", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                var version = long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(version > lastVersion, "resourceVersions of a watch strictly increase");
                lastVersion = version;
                var seen = phases.GetOrAdd(pod.Metadata.Name, _ => []);
                if (seen.Count == 0 || seen[^1] != pod.Status.Phase)
                {
                    seen.Add(pod.Status.Phase);
                }

                if (phases.Count == PodCount && phases.Values.All(p => p[^1] == "Succeeded"))
                {
                    succeeded.TrySetResult(DateTime.UtcNow);
                    return;
                }
            }
        });

        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, PodCount).Select(i =>
            client.CoreV1.CreateNamespacedPodAsync(WithLabel(Pods.Command($"{label}-{i}", "sleep", "5"), label), "default")));
        var lastCreate = DateTime.UtcNow;
        var createSeconds = started.Elapsed.TotalSeconds;
        var allDone = await succeeded.Task.WaitAsync(cts.Token);
        await watch;
        var usage = cluster.Usage();

        var final = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"test={label}");
        Assert.Equal(PodCount, final.Items.Count);
        Assert.All(final.Items, p => Assert.Equal("Succeeded", p.Status.Phase));
        Assert.All(phases.Values, seen => Assert.Equal(seen.Distinct(), seen));
        Assert.All(phases.Values, seen => Assert.Equal("Succeeded", seen[^1]));
        Assert.Equal(PodCount, phases.Values.Count(seen => seen.Contains("Running")));
        output.WriteLine($"created {PodCount} pods in {createSeconds:F1} s; last create to last Succeeded: {(allDone - lastCreate).TotalSeconds:F1} s; first create to last Succeeded: {createSeconds + (allDone - lastCreate).TotalSeconds:F1} s");
        output.WriteLine($"cluster CPU: {usage.OwnCpuSeconds:F1} s own, {usage.ChildrenCpuSeconds:F1} s containers; peak RSS {usage.PeakResidentBytes / (1024 * 1024)} MiB");
        Assert.Equal(0, await cluster.StopAsync());
    }

    private static V1Pod WithLabel(V1Pod pod, string label)
    {
        pod.Metadata.Labels = new Dictionary<string, string> { ["test"] = label };
        return pod;
    }
}
