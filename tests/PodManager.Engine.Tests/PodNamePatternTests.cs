using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class PodNamePatternTests
{
    [Theory] // PowerShell's wildcards, as Get-ChildItem and WildcardPattern read them
    [InlineData("job-*", "job-1", true)]
    [InlineData("job-*", "web-1", false)]
    [InlineData("JOB-?", "job-7", true)]
    [InlineData("job-?", "job-10", false)]
    [InlineData("job-[12]", "job-2", true)]
    [InlineData("job-[12]", "job-3", false)]
    [InlineData("job-[a-c]x", "job-bx", true)]
    [InlineData("job-[a-c]x", "job-dx", false)]
    [InlineData("*.web", "api.web", true)]
    [InlineData("*.web", "api-web", false)]
    [InlineData("a`*b*", "a*b-1", true)]
    [InlineData("a`*b*", "axb-1", false)]
    public void WildcardsMatchAsInPowerShell(string pattern, string name, bool matches)
    {
        var parsed = PodNamePattern.Parse(pattern);
        Assert.True(parsed.IsWildcard);
        Assert.Equal(matches, parsed.IsMatch(name));
    }

    [Theory]
    [InlineData("web-1")]
    [InlineData("a`*b")]
    [InlineData("a`[1]")]
    public void ANameWithoutUnescapedWildcardsIsLiteral(string text)
    {
        var parsed = PodNamePattern.Parse(text);
        Assert.False(parsed.IsWildcard);
        Assert.True(parsed.IsMatch(text.Replace("`", "", StringComparison.Ordinal)));
        Assert.False(parsed.IsMatch(text.ToUpperInvariant() + "x"));
    }
}
