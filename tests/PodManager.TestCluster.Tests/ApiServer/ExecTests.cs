using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class ExecTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ExecReturnsOutputAndTheExitCodeThroughTheClient()
    {
        var name = await RunningPodAsync();
        var stdout = string.Empty;
        var stderr = string.Empty;

        var exitCode = await cluster.Client.NamespacedPodExecAsync(name, "default", "base", ["sh", "-c", "echo out; echo err >&2; exit 3"], false, async (_, output, error) =>
        {
            stdout = await new StreamReader(output).ReadToEndAsync();
            stderr = await new StreamReader(error).ReadToEndAsync();
        }, CancellationToken.None);

        Assert.Equal(3, exitCode);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
    }

    [Fact]
    public async Task ExecRunsInTheContainersNamespacesWithItsVolumesAndEnvironment()
    {
        var name = Pods.Unique("inside");
        var pod = Pods.Shell(name, "echo '{\"value\": 1}' > /airflow/xcom/return.json; trap 'exit 0' TERM; while true; do sleep 0.2; done");
        pod.Spec.Volumes = [new V1Volume { Name = "xcom", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "xcom", MountPath = "/airflow/xcom" }];
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "FROM_SPEC", Value = "yes" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        var output = await ExecOutputAsync(name, "sh", "-c", "while [ ! -s /airflow/xcom/return.json ]; do sleep 0.1; done; cat /airflow/xcom/return.json; tr '\\0' ' ' < /proc/1/cmdline; echo; echo $FROM_SPEC");

        var lines = output.Split('\n');
        Assert.Equal("{\"value\": 1}", lines[0]);
        Assert.Contains("-c echo", lines[1]);
        Assert.Equal("yes", lines[2]);
    }

    [Fact]
    public async Task TheXComSidecarIsStoppedBySigintToPid1()
    {
        var name = Pods.Unique("xcom");
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Volumes = [new V1Volume { Name = "xcom", EmptyDir = new V1EmptyDirVolumeSource() }],
                Containers =
                [
                    new V1Container { Name = "base", Image = "alpine", Command = ["sh", "-c", "echo '[1, 2]' > /airflow/xcom/return.json"], VolumeMounts = [new V1VolumeMount { Name = "xcom", MountPath = "/airflow/xcom" }] },
                    new V1Container { Name = "airflow-xcom-sidecar", Image = "alpine", Command = ["sh", "-c", "trap \"exit 0\" INT; while true; do sleep 1; done;"], VolumeMounts = [new V1VolumeMount { Name = "xcom", MountPath = "/airflow/xcom" }] },
                ],
            },
        };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "base")?.State?.Terminated is not null
            && p.Status.ContainerStatuses.First(c => c.Name == "airflow-xcom-sidecar").State?.Running is not null);

        var result = await ExecOutputAsync(name, "airflow-xcom-sidecar", ["cat", "/airflow/xcom/return.json"]);
        // The shell that sends the signal either exits first (0) or is ended with the rest of the PID namespace
        // when the sidecar's main process exits before it (137, SIGKILL from the kernel), as on a real node.
        var kill = await cluster.Client.NamespacedPodExecAsync(name, "default", "airflow-xcom-sidecar", ["sh", "-c", "kill -s SIGINT 1"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);
        Assert.Contains(kill, new[] { 0, 137 });
        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("[1, 2]\n", result);
        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(0, done.Status.ContainerStatuses.Single(c => c.Name == "airflow-xcom-sidecar").State.Terminated.ExitCode);
    }

    [Fact]
    public async Task TheV5ProtocolIsEchoedAndCarriesStdinUntilItIsClosed()
    {
        var name = await RunningPodAsync();
        using var cts = new CancellationTokenSource(Waits.Default);

        using var exec = await RawExec.ConnectAsync(cluster.Server, $"/api/v1/namespaces/default/pods/{name}/exec?command=cat&stdin=true&stdout=true&stderr=true", "v5.channel.k8s.io");
        await exec.SendAsync(0, "through stdin\n");
        await exec.SendAsync([255, 0]);
        var (frames, close) = await exec.ReadAllAsync(cts.Token);

        Assert.Equal("v5.channel.k8s.io", exec.SubProtocol);
        Assert.Equal([1], frames[0]);
        Assert.Equal("through stdin\n", RawExec.Text(frames, 1));
        Assert.Equal("{\"metadata\":{},\"status\":\"Success\"}", RawExec.Text(frames, 3));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact]
    public async Task TheV4StatusCarriesANonZeroExitCodeCause()
    {
        var name = await RunningPodAsync();
        using var cts = new CancellationTokenSource(Waits.Default);

        using var exec = await RawExec.ConnectAsync(cluster.Server, $"/api/v1/namespaces/default/pods/{name}/exec?command=sh&command=-c&command=exit%2042&stdout=1&stderr=1", "v4.channel.k8s.io");
        var (frames, _) = await exec.ReadAllAsync(cts.Token);
        var status = JsonDocument.Parse(RawExec.Text(frames, 3)).RootElement;

        Assert.Equal("v4.channel.k8s.io", exec.SubProtocol);
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal("NonZeroExitCode", status.GetProperty("reason").GetString());
        var cause = status.GetProperty("details").GetProperty("causes")[0];
        Assert.Equal("ExitCode", cause.GetProperty("reason").GetString());
        Assert.Equal("42", cause.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnIdleExecOutlivesItsKeepAliveTimeoutBecausePingsAreAnswered()
    {
        // The keep-alive timeout is generous (10 s: a loaded machine may answer a ping late) and the exec idles past it.
        var name = await RunningPodAsync();
        using var cts = new CancellationTokenSource(Waits.Default);

        using var exec = await RawExec.ConnectAsync(cluster.Server, $"/api/v1/namespaces/default/pods/{name}/exec?command=sh&command=-c&command=sleep%2025%3B%20echo%20awake&stdout=1", "v5.channel.k8s.io", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        var (frames, close) = await exec.ReadAllAsync(cts.Token);

        Assert.Equal("awake\n", RawExec.Text(frames, 1));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact]
    public async Task ANonUpgradeRequestGetsTheStatusTheUpgradeWouldGet()
    {
        var name = await RunningPodAsync();
        var finished = Pods.Unique("finished");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(finished, "true"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", finished);
        using var http = cluster.Http();

        using var upgradeRequired = await http.GetAsync($"/api/v1/namespaces/default/pods/{name}/exec?command=true&stdout=1");
        using var noStreams = await http.GetAsync($"/api/v1/namespaces/default/pods/{name}/exec?command=true");
        using var notRunning = await http.GetAsync($"/api/v1/namespaces/default/pods/{finished}/exec?command=true&stdout=1");
        using var missing = await http.GetAsync("/api/v1/namespaces/default/pods/no-such-pod/exec?command=true&stdout=1");

        Assert.Equal("Upgrade request required", (await StatusAssert.ResponseAsync(upgradeRequired, 400, "BadRequest")).GetProperty("message").GetString());
        Assert.Equal("you must specify at least 1 of stdin, stdout, stderr", (await StatusAssert.ResponseAsync(noStreams, 400, "BadRequest")).GetProperty("message").GetString());
        Assert.Equal("unable to upgrade connection: container not found (\"base\")", (await StatusAssert.ResponseAsync(notRunning, 400, "BadRequest")).GetProperty("message").GetString());
        await StatusAssert.ResponseAsync(missing, 404, "NotFound");
    }

    private async Task<string> RunningPodAsync()
    {
        var name = Pods.Unique("exec");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);
        return name;
    }

    private Task<string> ExecOutputAsync(string pod, params string[] command) => ExecOutputAsync(pod, "base", command);

    private async Task<string> ExecOutputAsync(string pod, string container, string[] command)
    {
        var output = new StringBuilder();
        var exitCode = await cluster.Client.NamespacedPodExecAsync(pod, "default", container, command, false, async (_, stdout, _) =>
        {
            output.Append(await new StreamReader(stdout).ReadToEndAsync());
        }, CancellationToken.None);
        Assert.Equal(0, exitCode);
        return output.ToString();
    }
}
