using System.Net.Http.Json;
using System.Text;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class DeleteTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task GracefulDeleteMarksThePodThenStopsItAndRemovesIt()
    {
        var name = Pods.Unique("graceful");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "trap 'echo got TERM; exit 42' TERM; echo started; while true; do sleep 0.1; done"), "default");
        var running = await Waits.ForRunningAsync(cluster.Client, "default", name);
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");
        var watch = Waits.ChangesUntilDeletedAsync(cluster.Client, "default", name, running.Metadata.ResourceVersion);

        var answer = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 30 });
        var seen = await watch;

        Assert.NotNull(answer.Metadata.DeletionTimestamp);
        Assert.Equal(30, answer.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(WatchEventType.Modified, seen[0].Type);
        Assert.NotNull(seen[0].Pod.Metadata.DeletionTimestamp);
        var last = seen[^1].Pod;
        Assert.Equal(WatchEventType.Deleted, seen[^1].Type);
        var terminated = last.Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal(42, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
        Assert.Equal("Failed", last.Status.Phase);
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},reason=Killing");
        Assert.Equal("Stopping container base", Assert.Single(events.Items).Message);
    }

    [Fact]
    public async Task AProcessIgnoringSigtermIsKilledWhenTheGracePeriodEnds()
    {
        var name = Pods.Unique("stubborn");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command(name, "sleep", "3600"), "default");
        var running = await Waits.ForRunningAsync(cluster.Client, "default", name);
        var watch = Waits.ChangesUntilDeletedAsync(cluster.Client, "default", name, running.Metadata.ResourceVersion);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 1 });
        var last = (await watch)[^1].Pod;

        Assert.Equal(137, last.Status.ContainerStatuses[0].State.Terminated.ExitCode);
    }

    [Fact]
    public async Task TheNameStaysTakenWhileThePodTerminatesAndALaterDeleteCanShortenTheGrace()
    {
        var name = Pods.Unique("taken");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command(name, "sleep", "3600"), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        var terminating = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 600 });
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default"), 409, "AlreadyExists");
        var shortened = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 1 });

        Assert.Equal(600, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(1, shortened.Metadata.DeletionGracePeriodSeconds);
        await Waits.ForDeletionAsync(cluster.Client, "default", name);
    }

    [Fact]
    public async Task AnUnscheduledOrFinishedPodGoesAtOnce()
    {
        var unscheduled = Pods.Shell(Pods.Unique("unscheduled"), "true");
        unscheduled.Spec.NodeSelector = new Dictionary<string, string> { ["no-such"] = "label" };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(unscheduled, "default");
        var finished = Pods.Unique("finished");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(finished, "true"), "default");
        await Waits.ForPhaseAsync(cluster.Client, "default", finished, "Succeeded");

        var first = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(unscheduled.Metadata.Name, "default");
        var second = await cluster.Client.CoreV1.DeleteNamespacedPodAsync(finished, "default");

        Assert.Null(first.Metadata.DeletionTimestamp);
        Assert.Null(second.Metadata.DeletionTimestamp);
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(finished, "default"), 404, "NotFound");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{\"gracePeriodSeconds\":0}")]
    [InlineData("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Background\"}")]
    public async Task DeleteAcceptsABodyWithOrWithoutTypeOrNone(string? body)
    {
        var name = Pods.Unique("body");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        await Waits.ForPhaseAsync(cluster.Client, "default", name, "Succeeded");
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/default/pods/{name}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var pod = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Pod", pod.GetProperty("kind").GetString());
        Assert.Equal(name, pod.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task DeletingAMissingPodIs404()
    {
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.DeleteNamespacedPodAsync("missing-pod", "default"), 404, "NotFound");

        Assert.Equal("pods \"missing-pod\" not found", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AUidPreconditionThatDoesNotMatchIs409()
    {
        var name = Pods.Unique("precondition");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");

        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }),
            409,
            "Conflict");

        Assert.Contains("Precondition failed: UID in precondition: not-the-uid", status.GetProperty("message").GetString());
    }
}
