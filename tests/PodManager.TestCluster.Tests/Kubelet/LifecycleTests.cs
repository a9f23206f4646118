using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

public sealed class LifecycleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task InitContainersRunInOrderBeforeTheContainers()
    {
        var name = Pods.Unique("init");
        var pod = WithData(Pods.Shell(name, "cat /data/order"));
        pod.Spec.InitContainers =
        [
            Container("first", $"{Pods.AwaitRelease}; echo -n 1 >> /data/order"),
            Container("second", "echo -n 2 >> /data/order"),
        ];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.InitContainerStatuses?[0].State?.Running is not null);

        var statusWhileInitializing = await StatusCellAsync(name);
        var initializing = await cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        await Waits.ReleaseAsync(cluster.Client, "default", name, "first");
        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Init:0/2", statusWhileInitializing);
        Assert.Equal("Pending", initializing.Status.Phase);
        Assert.Equal("PodInitializing", initializing.Status.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Contains(initializing.Status.Conditions, c => c.Type == "Initialized" && c.Status == "False" && c.Reason == "ContainersNotInitialized" && c.Message == "containers with incomplete status: [first second]");
        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.All(done.Status.InitContainerStatuses, s => Assert.Equal("Completed", s.State.Terminated.Reason));
        Assert.Equal("12\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task AFailedInitContainerFailsAPodThatNeverRestarts()
    {
        var name = Pods.Unique("init-fail");
        var pod = WithData(Pods.Shell(name, "echo never"));
        pod.Spec.InitContainers = [Container("setup", "exit 4")];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Failed", done.Status.Phase);
        Assert.Equal(4, done.Status.InitContainerStatuses[0].State.Terminated.ExitCode);
        Assert.Equal("PodInitializing", done.Status.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Equal("Init:Error", await StatusCellAsync(name));
    }

    [Fact]
    public async Task AFailedInitContainerIsRetriedWhenThePodRestarts()
    {
        var name = Pods.Unique("init-retry");
        var pod = WithData(Pods.Shell(name, "echo main", restartPolicy: "OnFailure"));
        pod.Spec.InitContainers = [Container("flaky", "if [ -e /data/tried ]; then exit 0; fi; touch /data/tried; exit 1")];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var init = done.Status.InitContainerStatuses[0];
        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(1, init.RestartCount);
        Assert.Equal(1, init.LastState.Terminated.ExitCode);
    }

    [Fact]
    public async Task ANativeSidecarStartsFirstKeepsRunningAndStopsWhenTheContainersAreDone()
    {
        var name = Pods.Unique("sidecar");
        // A sidecar counts as started once its process runs, which may be before its first line has run: the base
        // waits for what the sidecar writes rather than read a file that its redirection has only just created.
        var pod = WithData(Pods.Shell(name, "until [ -s /data/sidecar-was-here ]; do sleep 0.05; done; cat /data/sidecar-was-here"));
        var sidecar = Container("proxy", "trap 'exit 0' TERM; echo up > /data/sidecar-was-here; while true; do sleep 0.1; done");
        sidecar.RestartPolicy = "Always";
        pod.Spec.InitContainers = [sidecar];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.Phase == "Succeeded" && p.Status.InitContainerStatuses?[0].State?.Terminated is not null);

        Assert.Equal("up\n", await Waits.LogAsync(cluster.Client, "default", name, container: "base"));
        Assert.Equal(0, done.Status.InitContainerStatuses[0].State.Terminated.ExitCode);
        Assert.True(done.Status.InitContainerStatuses[0].State.Terminated.StartedAt <= done.Status.ContainerStatuses[0].State.Terminated.StartedAt, "the sidecar started first");
        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},reason=Killing");
        Assert.Equal("spec.initContainers{proxy}", Assert.Single(events.Items).InvolvedObject.FieldPath);
    }

    [Fact]
    public async Task AlwaysRestartsACrashingContainerWithCrashLoopBackOff()
    {
        var name = Pods.Unique("crash");
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo run $(date +%s%N); exit 1", restartPolicy: "Always"), "default");

        var looping = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0] is { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff" });
        var previous = await Waits.LogAsync(cluster.Client, "default", name, previous: true);
        var table = await StatusCellAsync(name);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });

        var status = looping.Status.ContainerStatuses[0];
        Assert.Equal("Running", looping.Status.Phase);
        Assert.Matches($@"^back-off \d+(ms|s) restarting failed container=base pod={name}_default\({created.Metadata.Uid}\)$", status.State.Waiting.Message);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
        Assert.Equal("Error", status.LastState.Terminated.Reason);
        Assert.StartsWith("run ", previous);
        Assert.Contains(table, new[] { "CrashLoopBackOff", "Error", "Running" });
        var backOff = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},reason=BackOff");
        Assert.Equal($"Back-off restarting failed container base in pod {name}_default({created.Metadata.Uid})", backOff.Items[0].Message);
        Assert.Equal("Warning", backOff.Items[0].Type);
    }

    [Fact]
    public async Task OnFailureRestartsUntilTheContainerSucceeds()
    {
        var name = Pods.Unique("onfailure");
        var pod = WithData(Pods.Shell(name, "if [ -e /data/ok ]; then echo second; exit 0; fi; touch /data/ok; echo first; exit 2", restartPolicy: "OnFailure"));
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var status = done.Status.ContainerStatuses[0];
        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(1, status.RestartCount);
        Assert.Equal(2, status.LastState.Terminated.ExitCode);
        Assert.Equal("Completed", status.State.Terminated.Reason);
        Assert.Equal("second\n", await Waits.LogAsync(cluster.Client, "default", name));
        Assert.Equal("first\n", await Waits.LogAsync(cluster.Client, "default", name, previous: true));
    }

    [Fact]
    public async Task TheTerminationMessageFileBecomesTheTerminatedMessage()
    {
        var name = Pods.Unique("message");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "printf 'all good' > /dev/termination-log"), "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("all good", done.Status.ContainerStatuses[0].State.Terminated.Message);
        Assert.False(File.Exists("/dev/termination-log"));
    }

    [Fact]
    public async Task ACustomTerminationMessagePathIsCappedAt4096Bytes()
    {
        var name = Pods.Unique("capped");
        var path = $"/testcluster-{Guid.NewGuid():N}/message";
        var pod = Pods.Shell(name, $"head -c 5000 /dev/zero | tr '\\0' x > {path}; exit 1");
        pod.Spec.Containers[0].TerminationMessagePath = path;
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal(new string('x', 4096), done.Status.ContainerStatuses[0].State.Terminated.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public async Task FallbackToLogsOnErrorUsesTheLogTailWhenTheFileIsEmpty()
    {
        var name = Pods.Unique("fallback");
        var pod = Pods.Shell(name, "seq 1 100; echo 'it broke'; exit 1");
        pod.Spec.Containers[0].TerminationMessagePolicy = "FallbackToLogsOnError";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var message = done.Status.ContainerStatuses[0].State.Terminated.Message;
        Assert.EndsWith("99\n100\nit broke", message);
        Assert.Equal(80, message.Split('\n').Length);
    }

    private static V1Pod WithData(V1Pod pod)
    {
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        return pod;
    }

    private static V1Container Container(string name, string script) => new()
    {
        Name = name,
        Image = "alpine",
        Command = ["sh", "-c", script],
        VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
    };

    /// <summary>The STATUS cell kubectl would print for the pod (from the server-side Table).</summary>
    private async Task<string> StatusCellAsync(string name)
    {
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/pods/{name}");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await http.SendAsync(request);
        var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return table.GetProperty("rows")[0].GetProperty("cells")[2].GetString()!;
    }
}
