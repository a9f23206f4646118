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

    [Fact]
    public void TheTemplateBecomesOneBaseContainerThatRunsOnce()
    {
        var pod = PodFactory.Build(new PodTemplate
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
