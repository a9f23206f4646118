using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using PodManager.Engine.Orphans;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Pods whose runner is gone: found by the runner written on them, never a pod whose runner still runs.</summary>
public sealed class OrphanTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<string> CreateStampedAsync(string ns, string host, int pid, string started, bool keep = false)
    {
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeConfig));
        var name = TestPods.UniqueName("orphan");
        var labels = new Dictionary<string, string> { [PodDefaults.ManagedByLabel] = PodDefaults.ManagedByValue };
        if (keep)
        {
            labels[RunKey.AlreadyCheckedLabel] = "true";
        }

        await admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    [RunnerIdentity.HostAnnotation] = host,
                    [RunnerIdentity.ProcessIdAnnotation] = pid.ToString(CultureInfo.InvariantCulture),
                    [RunnerIdentity.ProcessStartAnnotation] = started,
                },
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "base", Image = "alpine", Command = ["sleep", "300"] }] },
        }, ns);
        return name;
    }

    [Fact]
    public async Task APodOfADeadRunnerOfThisHostIsOrphanedAndOneOfALiveRunnerOrKeptIsNot()
    {
        var ns = "default";
        var manager = cluster.NewManager();
        // A runner that has ended: its start time is read while it runs (a process that has exited may already be
        // reaped, and has none to read), then it is ended.
        using var exited = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        var exitedStart = exited.StartTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        exited.Kill();
        await exited.WaitForExitAsync();
        var dead = await CreateStampedAsync(ns, RunnerIdentity.HostName, exited.Id, exitedStart);
        var kept = await CreateStampedAsync(ns, RunnerIdentity.HostName, exited.Id, exitedStart, keep: true);
        var reused = await CreateStampedAsync(ns, RunnerIdentity.HostName, Environment.ProcessId, "2000-01-01T00:00:00Z");
        var live = await manager.CreatePodAsync(TestPods.Shell("sleep 300") with { Namespace = ns }, CancellationToken.None);
        var elsewhere = await CreateStampedAsync(ns, "another-host", 1, "2000-01-01T00:00:00Z");

        var orphans = await manager.FindOrphanedPodsAsync(ns, TimeSpan.FromHours(1), ageAppliesToThisHost: false, CancellationToken.None);
        var names = orphans.Select(o => o.Pod.Name).ToList();

        Assert.Contains(dead, names);
        Assert.Contains(reused, names);
        Assert.DoesNotContain(kept, names);
        Assert.DoesNotContain(live.Name, names);
        Assert.DoesNotContain(elsewhere, names);
        Assert.Equal($"its runner, process {exited.Id} on host {RunnerIdentity.HostName}, is no longer running", orphans.Single(o => o.Pod.Name == dead).Reason);
    }

    [Fact]
    public async Task APodOfAnotherHostIsOrphanedOnlyOnceOlderThanTheAgeGiven()
    {
        var manager = cluster.NewManager();
        var elsewhere = await CreateStampedAsync("default", "another-host", 1, "2000-01-01T00:00:00Z");

        var young = await manager.FindOrphanedPodsAsync("default", TimeSpan.FromHours(1), ageAppliesToThisHost: true, CancellationToken.None);
        var old = await manager.FindOrphanedPodsAsync("default", TimeSpan.Zero, ageAppliesToThisHost: true, CancellationToken.None);

        Assert.DoesNotContain(young, o => o.Pod.Name == elsewhere);
        Assert.StartsWith("its runner, process 1 on host another-host, cannot be checked from this host and the pod is ", Assert.Single(old, o => o.Pod.Name == elsewhere).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPodPodManagerCreatesCarriesItsRunner()
    {
        var manager = cluster.NewManager();
        var pod = await manager.CreatePodAsync(TestPods.Shell("true") with { Namespace = "default" }, CancellationToken.None);
        var read = await manager.ReadPodAsync("default", pod.Name, CancellationToken.None);

        Assert.Equal(PodDefaults.ManagedByValue, read.Metadata.Labels[PodDefaults.ManagedByLabel]);
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), read.Metadata.Annotations[RunnerIdentity.ProcessIdAnnotation]);
        Assert.Equal(RunnerIdentity.HostName, read.Metadata.Annotations[RunnerIdentity.HostAnnotation]);
        Assert.True(RunnerIdentity.IsAlive(read));
    }
}
