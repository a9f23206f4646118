using k8s;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class SelectorTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private readonly string app = Pods.Unique("app");

    public async Task InitializeAsync()
    {
        foreach (var (name, tier, track) in new[] { ("web-1", "web", "stable"), ("web-2", "web", "canary"), ("db-1", "db", "stable"), ("cache-1", "cache", null) })
        {
            var labels = new Dictionary<string, string> { ["app"] = app, ["tier"] = tier };
            if (track is not null)
            {
                labels["track"] = track;
            }

            await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell($"{app}-{name}", "true", labels: labels), "default");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("tier=web", "web-1,web-2")]
    [InlineData("tier==web,track=stable", "web-1")]
    [InlineData("tier!=web", "cache-1,db-1")]
    [InlineData("tier in (web, db)", "db-1,web-1,web-2")]
    [InlineData("tier notin (web,db)", "cache-1")]
    [InlineData("track", "db-1,web-1,web-2")]
    [InlineData("!track", "cache-1")]
    [InlineData("track!=canary", "cache-1,db-1,web-1")]
    public async Task LabelSelectorsUseTheFullSyntax(string selector, string expected)
    {
        var list = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"app={app},{selector}");

        Assert.Equal(expected.Split(',').Select(n => $"{app}-{n}"), list.Items.Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task MalformedLabelSelectorIs400()
    {
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "tier in (web"), 400, "BadRequest");

        Assert.StartsWith("unable to parse requirement", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task FieldSelectorsFilterByNameNamespaceAndPhase()
    {
        var byName = await cluster.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.name={app}-db-1,metadata.namespace=default");
        var notPending = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"app={app}", fieldSelector: "status.phase!=Pending,status.phase!=Running,status.phase!=Succeeded");

        Assert.Equal($"{app}-db-1", Assert.Single(byName.Items).Metadata.Name);
        Assert.Empty(notPending.Items);
    }

    [Fact]
    public async Task FieldSelectorOnNodeNameSeesScheduledPods()
    {
        var name = $"{app}-db-1";
        await Waits.ForPodAsync(cluster.Client, "default", name, p => !string.IsNullOrEmpty(p.Spec.NodeName));

        var onNode = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.nodeName=testcluster-node", labelSelector: $"app={app}");

        Assert.Contains(onNode.Items, p => p.Metadata.Name == name);
    }

    [Fact]
    public async Task UnsupportedFieldIs400()
    {
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.containers=x"), 400, "BadRequest");

        Assert.Equal("field label not supported: spec.containers", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ListsArePagedWithLimitAndContinue()
    {
        var first = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"app={app}", limit: 3);
        var second = await cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"app={app}", limit: 3, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.NotNull(first.Metadata.ContinueProperty);
        Assert.Single(second.Items);
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal(4, first.Items.Concat(second.Items).Select(p => p.Metadata.Name).Distinct().Count());
    }
}
