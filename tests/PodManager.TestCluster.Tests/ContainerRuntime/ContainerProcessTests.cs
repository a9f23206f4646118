using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ContainerRuntime;

public sealed class ContainerProcessTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ANonZeroExitFailsThePodWithTheRealExitCode()
    {
        var name = Pods.Unique("fail");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo hello; echo oops >&2; exit 3"), "default");

        var pod = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Failed", pod.Status.Phase);
        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.Equal(3, status.State.Terminated.ExitCode);
        Assert.Equal("Error", status.State.Terminated.Reason);
        Assert.NotNull(status.State.Terminated.StartedAt);
        Assert.NotNull(status.State.Terminated.FinishedAt);
        Assert.StartsWith("containerd://", status.ContainerID);
        Assert.Equal("hello\noops\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task ASuccessfulRunCompletesWithConditionsAndAddresses()
    {
        var name = Pods.Unique("ok");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "exit 0"), "default");

        var pod = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal("Completed", pod.Status.ContainerStatuses[0].State.Terminated.Reason);
        Assert.Equal("docker.io/library/alpine:3.19", pod.Status.ContainerStatuses[0].Image);
        Assert.StartsWith("docker.io/library/alpine@sha256:", pod.Status.ContainerStatuses[0].ImageID);
        Assert.Equal("127.0.0.1", pod.Status.HostIP);
        Assert.StartsWith("10.244.", pod.Status.PodIP);
        Assert.NotNull(pod.Status.StartTime);
        var conditions = pod.Status.Conditions.ToDictionary(c => c.Type);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], pod.Status.Conditions.Select(c => c.Type));
        Assert.Equal("True", conditions["PodScheduled"].Status);
        Assert.Equal("True", conditions["Initialized"].Status);
        Assert.Equal(("False", "PodCompleted"), (conditions["Ready"].Status, conditions["Ready"].Reason));
        Assert.Equal(("False", "PodCompleted"), (conditions["ContainersReady"].Status, conditions["ContainersReady"].Reason));
    }

    [Fact]
    public async Task ARunningPodIsReadyWithARunningState()
    {
        var name = Pods.Unique("running");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");

        var pod = await Waits.ForRunningAsync(cluster.Client, "default", name);

        Assert.Equal("Running", pod.Status.Phase);
        var status = pod.Status.ContainerStatuses[0];
        Assert.True(status.Ready);
        Assert.True(status.Started);
        Assert.NotNull(status.State.Running.StartedAt);
        Assert.All(pod.Status.Conditions, c => Assert.Equal("True", c.Status));
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
    }

    [Fact]
    public async Task TheContainerSeesOnlyItsOwnEnvironment()
    {
        var name = Pods.Unique("env");
        var pod = Pods.Shell(name, "env | sort; echo host=$(hostname)");
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "GREETING", Value = "hello" }, new V1EnvVar { Name = "EXPANDED", Value = "$(GREETING) world" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var lines = (await Waits.LogAsync(cluster.Client, "default", name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("GREETING=hello", lines);
        Assert.Contains("EXPANDED=hello world", lines);
        Assert.Contains($"HOSTNAME={name}", lines);
        Assert.Contains($"host={name}", lines);
        Assert.Contains("HOME=/root", lines);
        Assert.Contains(lines, l => l.StartsWith("PATH=/usr/local/sbin:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("DOTNET_", StringComparison.Ordinal) || l.StartsWith("USER=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptyDirIsSharedByTheContainersOfAPodAndLeavesNothingOnTheHost()
    {
        var name = Pods.Unique("shared");
        var mountPath = $"/testcluster-{Guid.NewGuid():N}/xcom";
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Volumes = [new V1Volume { Name = "xcom", EmptyDir = new V1EmptyDirVolumeSource() }],
                Containers =
                [
                    new V1Container { Name = "writer", Image = "alpine", Command = ["sh", "-c", $"echo '{{\"answer\": 42}}' > {mountPath}/return.json"], VolumeMounts = [new V1VolumeMount { Name = "xcom", MountPath = mountPath }] },
                    new V1Container { Name = "reader", Image = "alpine", Command = ["sh", "-c", $"while [ ! -s {mountPath}/return.json ]; do sleep 0.1; done; cat {mountPath}/return.json"], VolumeMounts = [new V1VolumeMount { Name = "xcom", MountPath = mountPath }] },
                ],
            },
        };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal("{\"answer\": 42}\n", await Waits.LogAsync(cluster.Client, "default", name, container: "reader"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(mountPath)), "the mount path must not appear on the host");
    }

    [Fact]
    public async Task EachContainerHasAPrivateTmp()
    {
        var marker = $"testcluster-{Guid.NewGuid():N}";
        var (_, log) = await RunAsync("tmp", $"ls -ld /tmp | cut -c1-10; echo private > /tmp/{marker}; ls /tmp");

        Assert.Equal($"drwxrwxrwt\n{marker}\n", log);
        Assert.False(File.Exists(Path.Combine("/tmp", marker)));
    }

    [Fact]
    public async Task TheCommandIsPid1OfItsOwnPidNamespaceWithDefaultSignalHandling()
    {
        var (_, log) = await RunAsync("pid1", "read -r pid rest < /proc/self/stat; echo pid=$pid; grep SigIgn /proc/self/status; ls /proc | grep -c '^[0-9]'");
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("pid=1", lines[0]);
        Assert.Equal("SigIgn:\t0000000000000000", lines[1]);
        Assert.True(int.Parse(lines[2]) <= 4, $"only the container's processes are visible, saw {lines[2]}");
    }

    [Fact]
    public async Task DoubleDollarIsAnEscapedDollarAsInKubernetes()
    {
        var (_, log) = await RunAsync("dollar", "echo '$$(NOT_EXPANDED)' '$(UNDEFINED)'");

        Assert.Equal("$(NOT_EXPANDED) $(UNDEFINED)\n", log);
    }

    [Fact]
    public async Task OutputKeepsItsOrderAndAFinalLineWithoutNewlineCounts()
    {
        var (_, log) = await RunAsync("order", "echo one; echo two >&2; echo three; printf four");

        Assert.Equal("one\ntwo\nthree\nfour\n", log);
    }

    [Fact]
    public async Task RunAsUserAndGroupApplyToTheContainerAndItsVolumesAreWritable()
    {
        var name = Pods.Unique("user");
        var pod = Pods.Shell(name, "id -u; id -g; echo x > /data/file && echo wrote; printf done > /dev/termination-log");
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 3000 };
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("1000\n3000\nwrote\n", await Waits.LogAsync(cluster.Client, "default", name));
        Assert.Equal("done", done.Status.ContainerStatuses[0].State.Terminated.Message);
    }

    [Fact]
    public async Task RunAsNonRootWithoutAUserCannotStart()
    {
        var name = Pods.Unique("nonroot");
        var pod = Pods.Shell(name, "true");
        pod.Spec.Containers[0].SecurityContext = new V1SecurityContext { RunAsNonRoot = true };
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var waiting = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "CreateContainerConfigError");

        Assert.Equal($"container has runAsNonRoot and image will run as root (pod: \"{name}_default({created.Metadata.Uid})\", container: base)", waiting.Status.ContainerStatuses[0].State.Waiting.Message);
    }

    [Fact]
    public async Task AMissingCommandIsAStartError()
    {
        var name = Pods.Unique("nocmd");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command(name, "no-such-command-anywhere"), "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var terminated = done.Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal("Failed", done.Status.Phase);
        Assert.Equal(128, terminated.ExitCode);
        Assert.Equal("StartError", terminated.Reason);
        Assert.Contains("exec: \"no-such-command-anywhere\": executable file not found in $PATH", terminated.Message);
    }

    [Fact]
    public async Task LifecycleEventsAreRecordedInTheirRealShapes()
    {
        var name = Pods.Unique("events");
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: "busybox:1.36"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var events = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},involvedObject.kind=Pod,involvedObject.uid={created.Metadata.Uid}");

        var reasons = events.Items.Select(e => e.Reason).ToList();
        Assert.Equal(["Scheduled", "Pulling", "Pulled", "Created", "Started"], reasons.Take(5));
        var scheduled = events.Items.Single(e => e.Reason == "Scheduled");
        Assert.Equal($"Successfully assigned default/{name} to testcluster-node", scheduled.Message);
        Assert.Equal("default-scheduler", scheduled.ReportingComponent);
        Assert.NotNull(scheduled.EventTime);
        var started = events.Items.Single(e => e.Reason == "Started");
        Assert.Equal("Started container base", started.Message);
        Assert.Equal("spec.containers{base}", started.InvolvedObject.FieldPath);
        Assert.Equal("kubelet", started.Source.Component);
        Assert.Equal(1, started.Count);
        Assert.Equal("Normal", started.Type);
        Assert.StartsWith($"{name}.", started.Metadata.Name);
        Assert.Equal("Pulling image \"busybox:1.36\"", events.Items.Single(e => e.Reason == "Pulling").Message);
        Assert.Equal("Created container base", events.Items.Single(e => e.Reason == "Created").Message);
    }

    private async Task<(string Name, string Log)> RunAsync(string prefix, string script)
    {
        var name = Pods.Unique(prefix);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, script), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        return (name, await Waits.LogAsync(cluster.Client, "default", name));
    }
}
