using PodManager.TestCluster.Hosting;

namespace PodManager.TestCluster.Tests.Hosting;

public sealed class CommandLineParsingTests
{
    [Fact]
    public void EveryOptionMapsOntoTheOptionsRecord()
    {
        var parsed = CommandLine.Parse(["--kubeconfig", "/tmp/kc", "--port", "6443", "--work-dir", "/tmp/w", "--crash-loop-back-off", "0.5", "--image-pull-back-off", "2", "--max-back-off", "30", "--slow-pull", "7", "--node-name", "n1", "--node-cpu", "500m", "--node-memory", "1Gi", "--node-pods", "3", "--watch-history", "50"]);

        Assert.Null(parsed.Error);
        Assert.Equal(
            new TestClusterOptions
            {
                KubeConfigPath = "/tmp/kc",
                Port = 6443,
                WorkDirectory = "/tmp/w",
                CrashLoopBackOffBase = TimeSpan.FromMilliseconds(500),
                ImagePullBackOffBase = TimeSpan.FromSeconds(2),
                MaxBackOff = TimeSpan.FromSeconds(30),
                SlowPullDuration = TimeSpan.FromSeconds(7),
                NodeName = "n1",
                NodeCpu = "500m",
                NodeMemory = "1Gi",
                NodePods = 3,
                WatchHistorySize = 50,
            },
            parsed.Options);
    }

    [Fact]
    public void NodeLabelsTaintsAndExtendedResourcesRepeat()
    {
        var parsed = CommandLine.Parse(["--kubeconfig", "k", "--node-label", "disktype=ssd", "--node-label", "example.com/team=a", "--node-taint", "dedicated=gpu:NoSchedule", "--node-taint", "spot:PreferNoSchedule", "--node-extended-resource", "nvidia.com/gpu=2"]);

        Assert.Null(parsed.Error);
        Assert.Equal(new Dictionary<string, string> { ["disktype"] = "ssd", ["example.com/team"] = "a" }, parsed.Options.NodeLabels);
        Assert.Equal(["dedicated=gpu:NoSchedule", "spot:PreferNoSchedule"], parsed.Options.NodeTaints);
        Assert.Equal(new Dictionary<string, string> { ["nvidia.com/gpu"] = "2" }, parsed.Options.NodeExtendedResources);
    }

    [Theory]
    [InlineData(new[] { "--kubeconfig", "k", "--node-label", "disktype" }, "--node-label: expected KEY=VALUE, got disktype")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-label", "bad key=x" }, "--node-label: invalid node label bad key=x: ")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-taint", "dedicated=gpu" }, "--node-taint: invalid node taint dedicated=gpu: expected key=value:Effect or key:Effect")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-taint", "dedicated=gpu:Sometimes" }, "--node-taint: invalid node taint dedicated=gpu:Sometimes: the effect must be one of NoSchedule, PreferNoSchedule, NoExecute")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-extended-resource", "gpu=1" }, "--node-extended-resource: invalid extended resource gpu: it must be a fully qualified name outside kubernetes.io")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-extended-resource", "nvidia.com/gpu=1.5" }, "--node-extended-resource: invalid extended resource nvidia.com/gpu=1.5: must be a whole number")]
    public void BadNodeSettingsAreUsageErrors(string[] arguments, string error) =>
        Assert.StartsWith(error, CommandLine.Parse(arguments).Error);

    [Fact]
    public async Task StartingWithABadNodeTaintFailsBeforeAnythingIsCreated()
    {
        var parent = Directory.CreateTempSubdirectory("testcluster-badtaint-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => TestClusterServer.StartAsync(new TestClusterOptions { WorkDirectory = parent, NodeTaints = ["nope"] }));

            Assert.StartsWith("invalid node taint nope", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--port", "1" }, "--kubeconfig is required")]
    [InlineData(new[] { "--kubeconfig" }, "missing value for --kubeconfig")]
    [InlineData(new[] { "--kubeconfig", "k", "--port", "x" }, "--port: ")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-cpu", "lots" }, "--node-cpu: ")]
    [InlineData(new[] { "--kubeconfig", "k", "--colour", "blue" }, "--colour: unknown option --colour")]
    public void BadArgumentsAreUsageErrors(string[] arguments, string error) =>
        Assert.StartsWith(error, CommandLine.Parse(arguments).Error);
}
