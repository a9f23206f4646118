using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

public sealed class ActiveDeadlineTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AnExceededDeadlineFailsThePodAndStopsItsContainersGracefully()
    {
        var name = Pods.Unique("deadline");
        var pod = Pods.Shell(name, "trap 'echo stopping; exit 3' TERM; echo started; while true; do sleep 0.1; done");
        pod.Spec.ActiveDeadlineSeconds = 3600;
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");

        // The deadline follows the pod: lowered while it runs, it has passed at once.
        await cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"spec":{"activeDeadlineSeconds":1}}""", V1Patch.PatchType.MergePatch), name, "default");
        var failed = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.Phase == "Failed" && p.Status.ContainerStatuses?[0].State?.Terminated is not null);
        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name}")).Items;

        Assert.Equal("DeadlineExceeded", failed.Status.Reason);
        Assert.Equal("Pod was active on the node longer than the specified deadline", failed.Status.Message);
        Assert.DoesNotContain(failed.Status.Conditions, c => c.Type == "DisruptionTarget");

        // SIGTERM first, as for any graceful stop: the trap ran and chose the exit code.
        Assert.Equal(3, failed.Status.ContainerStatuses[0].State.Terminated.ExitCode);
        Assert.Equal("started\nstopping\n", await Waits.LogAsync(cluster.Client, "default", name));
        var deadline = Assert.Single(events, e => e.Reason == "DeadlineExceeded");
        Assert.Equal("Normal", deadline.Type);
        Assert.Equal("Pod was active on the node longer than the specified deadline", deadline.Message);
        Assert.Null(deadline.InvolvedObject.FieldPath);
        Assert.Contains(events, e => e.Reason == "Killing" && e.Message == "Stopping container base");
    }
}
