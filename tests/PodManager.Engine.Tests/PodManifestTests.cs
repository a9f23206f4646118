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
    public void AMisspeltFieldIsAnErrorNamingItsPathAsTheApiServerDoes()
    {
        var text = Yaml.Replace("command:", "comand:", StringComparison.Ordinal);
        var error = Assert.Throws<PodManagerException>(() => PodManifest.Parse(text));
        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains("unknown field \"spec.containers[0].comand\" (line 10, column 5; did you mean \"command\"?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryUnknownFieldIsNamedAlsoInJsonAndInMaps()
    {
        var json = """{"kind":"Pod","metadata":{"name":"x","labels":{"any":"key"}},"spec":{"bogus":null,"containers":[{"name":"base","image":"alpine","resources":{"limits":{"cpu":"1"}},"extra":1}]}}""";
        var error = Assert.Throws<PodManagerException>(() => PodManifest.Parse(json));
        Assert.Contains("unknown field \"spec.bogus\"; unknown field \"spec.containers[0].extra\".", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line", error.Message, StringComparison.Ordinal);
    }

    [Theory] // each says what is wrong where, in plain words: no .NET type names
    [InlineData("spec:\n  containers:\n  - name: base\n    image: alpine\n    command: \"true\"\n", "\"spec.containers[0].command\" must be a list, not the value 'true' (line 5, column 14)")]
    [InlineData("""{"spec":{"containers":"notalist"}}""", "\"spec.containers\" must be a list, not the value 'notalist'.")]
    [InlineData("spec:\n  terminationGracePeriodSeconds: soon\n  containers: []\n", "\"spec.terminationGracePeriodSeconds\" must be a whole number, not the value 'soon'")]
    [InlineData("metadata: [a, b]\n", "\"metadata\" must be a mapping of fields, not a list")]
    [InlineData("42", "is the value '42', not a pod manifest")]
    [InlineData("\"2026-12-07T10:00:00+00:00\"", "is the value '2026-12-07T10:00:00+00:00', not a pod manifest")]
    [InlineData("just some words", "is the value 'just some words', not a pod manifest")]
    [InlineData("- a\n- b\n", "is a list, not a pod manifest")]
    [InlineData("PK\u0003\u0004\u0000binary", "holds binary data, not YAML or JSON text")]
    [InlineData("", "is empty")]
    public void ValuesOfTheWrongShapeSayWhatIsWrongWhere(string text, string why)
    {
        var error = Assert.Throws<PodManagerException>(() => PodManifest.Parse(text));
        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneManifestIsOnePod()
    {
        var error = Assert.Throws<PodManagerException>(() => PodManifest.Parse($"{Yaml}\n---\n{Yaml.Replace("from-yaml", "second", StringComparison.Ordinal)}\n---\n{Yaml}"));
        Assert.Contains("holds 3 YAML documents", error.Message, StringComparison.Ordinal);

        // Empty documents do not count, as with kubectl: a leading or trailing --- is fine.
        Assert.Equal("from-yaml", PodManifest.Parse($"---\n{Yaml}\n---\n").Metadata.Name);
    }

    [Fact]
    public void WhatKubectlPrintsIsAValidManifest()
    {
        var printed = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-12-07T02:30:52Z","name":"p","namespace":"default","resourceVersion":"45","uid":"113b480c",
             "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:containers":{}}}}]},
             "spec":{"containers":[{"command":["true"],"image":"alpine","name":"a","ports":[{"containerPort":80,"name":"http"}],"resources":{"limits":{"memory":"64Mi"}},
             "livenessProbe":{"httpGet":{"port":"http","path":"/"}},"terminationMessagePath":"/dev/termination-log"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30},
             "status":{"phase":"Pending","qosClass":"BestEffort","startTime":"2026-12-07T02:30:52Z"}}
            """;
        Assert.Equal("p", PodManifest.Parse(printed).Metadata.Name);
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
