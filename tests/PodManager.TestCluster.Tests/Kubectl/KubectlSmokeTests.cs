using k8s;
using System.Text.Json;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

public sealed class KubectlSmokeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task GetWaitLogsAndDeleteAPod()
    {
        var name = Pods.Unique("smoke");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo hello from $HOSTNAME"), "default");

        var waited = await kubectl.OutputAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", $"pod/{name}", "--timeout=90s");
        var table = await kubectl.OutputAsync("get", "pods");
        var json = JsonDocument.Parse(await kubectl.OutputAsync("get", "pod", name, "-o", "json")).RootElement;
        var logs = await kubectl.OutputAsync("logs", name);
        var deleted = await kubectl.OutputAsync("delete", "pod", name);
        var missing = await kubectl.RunAsync("get", "pod", name);

        Assert.Equal($"pod/{name} condition met\n", waited);
        var header = table.Split('\n')[0];
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", header);
        Assert.Matches($@"(?m)^{name}\s+0/1\s+Completed\s+0\s+\d+s$", table);
        Assert.Equal(name, json.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Succeeded", json.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal($"hello from {name}\n", logs);
        Assert.Equal($"pod \"{name}\" deleted\n", deleted);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Equal($"Error from server (NotFound): pods \"{name}\" not found\n", missing.Error);
    }

    [Fact]
    public async Task DeleteWaitsForGracefulTermination()
    {
        var name = Pods.Unique("smoke-running");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await kubectl.OutputAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=90s");
        await Waits.ForLogLineAsync(cluster.Client, "default", name, "started");

        var deleted = await kubectl.OutputAsync("delete", "pod", name, "--grace-period=5");

        Assert.Equal($"pod \"{name}\" deleted\n", deleted);
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(name, "default"), 404, "NotFound");
    }
}
