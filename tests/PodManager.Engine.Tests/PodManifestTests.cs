using PodManager.Engine.Pods;
using PodManager.Engine.XCom;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class PodManifestTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: from-yaml
          labels: {team: data}
        spec:
          containers:
          - name: base
            image: alpine
            command: ["sh", "-c", "echo hi"]
        """;

    [Fact]
    public void YamlJsonAndFilesAllRead()
    {
        Assert.Equal("from-yaml", PodManifest.Parse(Yaml).Metadata.Name);
        var json = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"from-json"},"spec":{"containers":[{"name":"base","image":"alpine"}]}}""";
        Assert.Equal("from-json", PodManifest.Parse(json).Metadata.Name);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Yaml);
            var pod = PodManifest.Parse(file);
            Assert.Equal("data", pod.Metadata.Labels["team"]);
            Assert.Equal(["sh", "-c", "echo hi"], pod.Spec.Containers[0].Command);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AManifestWithoutANameGetsOneFromItsImage() =>
        Assert.Matches("^alpine-[a-z0-9]{8}$", PodManifest.Parse("spec:\n  containers:\n  - name: c\n    image: alpine\n").Metadata.Name);

    [Theory]
    [InlineData("kind: Deployment\nspec: {}\n", "not a Pod")]
    [InlineData("metadata:\n  name: x\n", "spec.containers")]
    [InlineData("spec: [unclosed", "not valid YAML or JSON")]
    public void BadManifestsAreInvalidManifestSayingWhy(string text, string why)
    {
        var error = Assert.Throws<PodManagerException>(() => PodManifest.Parse(text));
        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheXComSidecarHasTheOperatorsShapeAndLeavesTheOriginalAlone()
    {
        var pod = PodManifest.Parse(Yaml);
        var withSidecar = XComSidecar.Add(pod, "registry.local/alpine:3", XComSidecar.Resources(null));
        Assert.Single(pod.Spec.Containers);
        Assert.Equal(["base", "airflow-xcom-sidecar"], withSidecar.Spec.Containers.Select(c => c.Name));
        Assert.Equal("xcom", withSidecar.Spec.Volumes[0].Name);
        Assert.NotNull(withSidecar.Spec.Volumes[0].EmptyDir);
        Assert.Equal("/airflow/xcom", withSidecar.Spec.Containers[0].VolumeMounts[0].MountPath);
        var sidecar = withSidecar.Spec.Containers[1];
        Assert.Equal("registry.local/alpine:3", sidecar.Image);
        Assert.Equal(["sh", "-c", "trap \"exit 0\" INT; while true; do sleep 1; done;"], sidecar.Command);
        Assert.Equal("1m", sidecar.Resources.Requests["cpu"].ToString());
        Assert.Equal("10Mi", sidecar.Resources.Requests["memory"].ToString());
        Assert.Equal("100m", sidecar.Resources.Limits["cpu"].ToString());
        Assert.Equal("50Mi", sidecar.Resources.Limits["memory"].ToString());
    }

    [Fact] // issue 10: the operator's xcom_sidecar_container_resources replaces the default resources as a whole
    public void SidecarResourcesGivenReplaceTheDefaults()
    {
        var resources = XComSidecar.Resources(new XComSidecarSettings { Requests = new Dictionary<string, string> { ["memory"] = "20Mi" } });
        Assert.Equal("20Mi", Assert.Single(resources.Requests).Value.ToString());
        Assert.Null(resources.Limits);
    }

    [Fact]
    public void ASidecarQuantityThatIsNoQuantityIsInvalidParameterValueNamingIt()
    {
        var settings = new XComSidecarSettings { Limits = new Dictionary<string, string> { ["cpu"] = "lots" } };
        var error = Assert.Throws<PodManagerException>(settings.Validate);
        Assert.Equal("InvalidParameterValue", error.ErrorId);
        Assert.Contains("-XComSidecarResources limits.cpu 'lots'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultSidecarImageIsPinned()
    {
        Assert.Matches(@"^docker\.io/library/alpine:\d+\.\d+$", XComDefaults.DefaultImage);
        Assert.Equal(XComDefaults.DefaultImage, PodManagerOptions.Default.XComSidecarImage);
    }

    [Theory]
    [InlineData("nightly-etl-2026-11-27", "nightly-etl-2026-11-27")]
    [InlineData("dag/task run #3", null)]
    public void RunKeysBecomeValidLabelValues(string key, string? expected)
    {
        var value = RunKey.LabelValue(key);
        if (expected is not null)
        {
            Assert.Equal(expected, value);
        }
        else
        {
            Assert.Matches("^h-[0-9a-f]{40}$", value);
            Assert.Equal(value, RunKey.LabelValue(key));
        }
    }
}
