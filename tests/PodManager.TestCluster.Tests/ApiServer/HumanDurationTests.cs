using PodManager.TestCluster.ApiServer.Printers;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 7200, "3d2h")]
    [InlineData(100 * 86400, "100d")]
    public void AgesPrintLikeKubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
