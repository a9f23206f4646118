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

    [Theory]
    [InlineData(new[] { "--port", "1" }, "--kubeconfig is required")]
    [InlineData(new[] { "--kubeconfig" }, "missing value for --kubeconfig")]
    [InlineData(new[] { "--kubeconfig", "k", "--port", "x" }, "--port: ")]
    [InlineData(new[] { "--kubeconfig", "k", "--node-cpu", "lots" }, "--node-cpu: ")]
    [InlineData(new[] { "--kubeconfig", "k", "--colour", "blue" }, "--colour: unknown option --colour")]
    public void BadArgumentsAreUsageErrors(string[] arguments, string error) =>
        Assert.StartsWith(error, CommandLine.Parse(arguments).Error);
}
