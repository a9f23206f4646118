using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Scheduler;

public sealed class SmallNodeFixture : ClusterFixture
{
    protected override TestClusterOptions Options => base.Options with { NodeCpu = "1", NodeMemory = "1Gi", NodePods = 20 };
}

public sealed class SchedulingTests(SmallNodeFixture cluster) : IClassFixture<SmallNodeFixture>
{
    [Fact]
    public async Task APodThatDoesNotFitStaysPendingUntilCapacityFrees()
    {
        var big = Pods.Unique("big");
        var waiting = Pods.Unique("waiting");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Requesting(Pods.LongRunning(big), "800m"), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", big);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Requesting(Pods.Shell(waiting, "true"), "500m"), "default");

        var pending = await Waits.ForPodAsync(cluster.Client, "default", waiting, p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true);
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={waiting},reason=FailedScheduling");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(big, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        var done = await Waits.ForCompletionAsync(cluster.Client, "default", waiting);

        const string message = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
        var scheduled = pending.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Pending", pending.Status.Phase);
        Assert.Equal("Unschedulable", scheduled.Reason);
        Assert.Equal(message, scheduled.Message);
        var failed = Assert.Single(events.Items);
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(message, failed.Message);
        Assert.Equal("Succeeded", done.Status.Phase);
    }

    [Fact]
    public async Task ANodeSelectorThatMatchesNoNodeIsUnschedulable()
    {
        var name = Pods.Unique("selector");
        var pod = Pods.Shell(name, "true");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disktype"] = "ssd" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var pending = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.Conditions?.Any(c => c.Reason == "Unschedulable") == true);

        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", pending.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
    }

    [Fact]
    public async Task ANodeSelectorOnTheNodesLabelsSchedules()
    {
        var name = Pods.Unique("hostname");
        var pod = Pods.Shell(name, "true");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("testcluster-node", done.Spec.NodeName);
    }

    private static V1Pod Requesting(V1Pod pod, string cpu)
    {
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } };
        return pod;
    }
}
