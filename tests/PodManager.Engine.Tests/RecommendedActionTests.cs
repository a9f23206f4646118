using PodManager.Engine.Diagnosis;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class RecommendedActionTests
{
    [Theory]
    [InlineData("ErrImagePull", "image name and tag")]
    [InlineData("ImagePullBackOff", "image name and tag")]
    [InlineData("InvalidImageName", "image name and tag")]
    [InlineData("ErrImageNeverPull", "image name and tag")]
    [InlineData("CrashLoopBackOff", "Get-KPodLog -Previous")]
    [InlineData("Error", "last log lines")]
    [InlineData("InitContainerFailed", "last log lines")]
    [InlineData("OOMKilled", "memory limit")]
    [InlineData("Evicted", "add requests")]
    [InlineData("Unschedulable", "-NodeSelector")]
    [InlineData("CreateContainerConfigError", "ConfigMap or Secret")]
    [InlineData("DeadlineExceeded", "-ActiveDeadline")]
    [InlineData("Unschedulable", "-Toleration")]
    [InlineData("NodeLost", "Get-KPodEvent")]
    public void EachReasonSaysWhatToDo(string reason, string advice) =>
        Assert.Contains(advice, RecommendedActions.For(reason), StringComparison.Ordinal);
}
