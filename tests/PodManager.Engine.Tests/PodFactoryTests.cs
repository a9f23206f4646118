using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class PodFactoryTests
{
    [Theory]
    [InlineData("alpine", "alpine")]
    [InlineData("docker.io/library/alpine:3.20", "alpine")]
    [InlineData("registry:5000/team/My_Image@sha256:abc", "my-image")]
    [InlineData("___", "pod")]
    public void GeneratedNamesAreDnsNamesFromTheImage(string image, string stem)
    {
        var name = PodFactory.GenerateName(image);
        Assert.Matches($"^{stem}-[a-z0-9]{{8}}$", name);
        Assert.NotEqual(name, PodFactory.GenerateName(image));
    }

    [Theory] // Airflow's _set_name: lower case, each run of characters outside [a-z0-9-] becomes '-'; then a DNS label
    [InlineData("job", "job")]
    [InlineData("My_Task", "my-task")]
    [InlineData("etl.Load Orders!", "etl-load-orders")]
    [InlineData("a--b__c", "a--b-c")]
    [InlineData("__daily.report__", "daily-report")]
    [InlineData("pöd-ünïcode", "p-d--n-code")]
    public void AGivenNameIsNormalisedAsAirflowNormalisesIt(string given, string expected) =>
        Assert.Equal(expected, PodFactory.NormalizeName(given));

    [Fact]
    public void ANormalisedNameIsCutToADnsLabelWithoutATrailingDash()
    {
        var name = PodFactory.NormalizeName(new string('a', 62) + "_b" + new string('c', 10));
        Assert.Equal(new string('a', 62), name);
        Assert.Equal(63, PodFactory.NormalizeName(new string('x', 300)).Length);
    }

    [Theory]
    [InlineData("___")]
    [InlineData("日本語")]
    [InlineData("..")]
    public void ANameOfWhichNothingIsLeftIsAnErrorNamingTheRule(string given)
    {
        var error = Assert.Throws<PodManagerException>(() => PodFactory.NormalizeName(given));
        Assert.Equal("InvalidParameterValue", error.ErrorId);
        Assert.Contains($"-Name '{given}' cannot be made a pod name", error.Message, StringComparison.Ordinal);
        Assert.Contains("lower-case letters, digits and '-', at most 63 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplateBecomesOneBaseContainerThatRunsOnce()
    {
        var pod = PodFactory.Build(new PodBuildOptions
        {
            Image = "alpine",
            Name = "job",
            Command = ["sh"],
            Arguments = ["-c", "echo hi"],
            Environment = new Dictionary<string, string> { ["A"] = "1" },
            Labels = new Dictionary<string, string> { ["team"] = "data" },
            CpuRequest = "250m",
            MemoryLimit = "64Mi",
        }, "ns1");

        Assert.Equal("job", pod.Metadata.Name);
        Assert.Equal("ns1", pod.Metadata.NamespaceProperty);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("base", container.Name);
        Assert.Equal(["sh"], container.Command);
        Assert.Equal(["-c", "echo hi"], container.Args);
        Assert.Equal("1", Assert.Single(container.Env).Value);
        Assert.Equal("250m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal("64Mi", container.Resources.Limits["memory"].ToString());
        Assert.Equal("data", pod.Metadata.Labels["team"]);
        Assert.Equal("PodManager", pod.Metadata.Labels[PodDefaults.ManagedByLabel]);
    }
}
