using PodManager.TestCluster.ApiServer;
using PodManager.TestCluster.ApiServer.Selectors;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed class SelectorParsingTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["replicas"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<3", false)]
    [InlineData("  app = web ,  tier in ( front , back )  ", true)]
    public void LabelSelectorsMatchLikeTheGoParser(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app=web,")]
    [InlineData("=web")]
    [InlineData("app=we b")]
    [InlineData("replicas>three")]
    public void MalformedLabelSelectorsAreBadRequests(string selector)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, error.Status.Code);
        Assert.StartsWith("unable to parse requirement: ", error.Status.Message);
    }

    [Fact]
    public void FieldSelectorsSplitOnUnescapedCommasAndKeepOperators()
    {
        var selector = FieldSelector.Parse(@"metadata.name=a\,b,status.phase!=Running,spec.nodeName==n");

        Assert.Equal(
            [new FieldRequirement("metadata.name", "a,b", false), new FieldRequirement("status.phase", "Running", true), new FieldRequirement("spec.nodeName", "n", false)],
            selector.Requirements);
    }

    [Fact]
    public void AFieldSelectorTermWithoutAnOperatorIsABadRequest()
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse("metadata.name"));

        Assert.Equal("invalid selector: 'metadata.name'; can't understand 'metadata.name'", error.Status.Message);
    }
}
