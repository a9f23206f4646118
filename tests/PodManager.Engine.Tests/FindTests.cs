using Xunit;

namespace PodManager.Engine.Tests;

public sealed class FindTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task NamesAreLiteralOrWildcardsAndOnlyAMissingLiteralIsReported()
    {
        var manager = cluster.NewManager();
        var run = TestPods.UniqueName("find");
        foreach (var suffix in new[] { "a1", "a2", "b1" })
        {
            await manager.CreatePodAsync(TestPods.Shell("sleep 300", $"{run}-{suffix}"), CancellationToken.None);
        }

        var byPattern = await manager.FindPodsAsync("default", [$"{run}-a*", $"{run}-nothing-*"], null, null, CancellationToken.None);
        Assert.Equal([$"{run}-a1", $"{run}-a2"], byPattern.Pods.Select(p => p.Name));
        Assert.Empty(byPattern.Missing);

        var byName = await manager.FindPodsAsync("default", [$"{run}-b1", $"{run}-gone"], null, null, CancellationToken.None);
        Assert.Equal([$"{run}-b1"], byName.Pods.Select(p => p.Name));
        Assert.Equal([$"{run}-gone"], byName.Missing);

        var mixed = await manager.FindPodsAsync("default", [$"{run}-?1", $"{run}-a2"], null, null, CancellationToken.None);
        Assert.Equal([$"{run}-a1", $"{run}-a2", $"{run}-b1"], mixed.Pods.Select(p => p.Name));

        foreach (var suffix in new[] { "a1", "a2", "b1" })
        {
            await manager.DeletePodAsync("default", $"{run}-{suffix}", 0, wait: false, null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AMissingNameIsPodNotFoundSayingWhereTheSearchLooked()
    {
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName("find-gone");

        var inNamespace = await manager.FindPodsAsync("default", [name], null, null, CancellationToken.None);
        var error = inNamespace.NotFound(name);
        Assert.Equal("PodNotFound", error.ErrorId);
        Assert.Equal(PodManagerErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal($"Pod '{name}' was not found in namespace 'default'. Check the name and -Namespace, or use a wildcard (Get-KPod '{name}*').", error.Message);

        var everywhere = await manager.FindPodsAsync(null, [name], "app=x", null, CancellationToken.None);
        Assert.Contains("in any namespace with the selectors given", everywhere.NotFound(name).Message, StringComparison.Ordinal);
    }
}
