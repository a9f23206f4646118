using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Every authoring setting is checked before any request: a bad value is an InvalidParameterValue naming the parameter and the rule.</summary>
public sealed class PodSettingCheckTests
{
    public static TheoryData<string, PodBuildOptions, string> BadSettings => new()
    {
        { "secret reference without a key", new() { Image = "alpine", SecretEnvironment = new Dictionary<string, string> { ["DB"] = "db-secret" } }, "-SecretEnv DB = 'db-secret' names no key" },
        { "config map name", new() { Image = "alpine", ConfigMapEnvironment = new Dictionary<string, string> { ["X"] = "Bad_Name/key" } }, "'Bad_Name' is not a ConfigMap name" },
        { "variable name", new() { Image = "alpine", Environment = new Dictionary<string, string> { ["1X"] = "v" } }, "-Env has the variable name '1X'" },
        { "env from kind", new() { Image = "alpine", EnvironmentFrom = ["app-secrets"] }, "-EnvFrom 'app-secrets' does not say what it names" },
        { "volume without a source", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "/v" }] }, "-Volume 'v' has no source" },
        { "volume with two sources", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "/v", EmptyDir = true, Secret = "s" }] }, "has 2 sources" },
        { "relative mount path", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "v", EmptyDir = true }] }, "needs an absolute MountPath" },
        { "size limit", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "/v", EmptyDir = true, SizeLimit = "lots" }] }, "SizeLimit" },
        { "default mode", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "/v", Secret = "s", DefaultMode = "0999" }] }, "DefaultMode '0999' is not an octal file mode" },
        { "two volumes of one name", new() { Image = "alpine", Volumes = [new KPodVolume { Name = "v", MountPath = "/a", EmptyDir = true }, new KPodVolume { Name = "v", MountPath = "/b", EmptyDir = true }] }, "more than one volume named 'v'" },
        { "toleration operator", new() { Image = "alpine", Tolerations = ["""{ "key": "k", "operator": "Is" }"""] }, "operator 'Is' is not a toleration operator" },
        { "toleration effect", new() { Image = "alpine", Tolerations = ["k=v:Never"] }, "effect 'Never' is not a taint effect" },
        { "toleration field", new() { Image = "alpine", Tolerations = ["""{ "key": "k", "colour": "red" }"""] }, "-Toleration is not a toleration" },
        { "affinity operator", new() { Image = "alpine", Affinity = """{ "nodeAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "nodeSelectorTerms": [ { "matchExpressions": [ { "key": "pool", "operator": "In" } ] } ] } } }""" }, "operator In and NotIn need at least one value" },
        { "affinity field", new() { Image = "alpine", Affinity = """{ "nodeAfinity": {} }""" }, "-Affinity is not an affinity" },
        { "extended resource fraction", new() { Image = "alpine", Resources = new Dictionary<string, string> { ["nvidia.com/gpu"] = "0.5" } }, "counted in whole units" },
        { "resource name", new() { Image = "alpine", Resources = new Dictionary<string, string> { ["gpu"] = "1" } }, "-Resource 'gpu' is not a resource" },
        { "cpu as a resource", new() { Image = "alpine", Resources = new Dictionary<string, string> { ["cpu"] = "1" } }, "cpu and memory have parameters of their own" },
        { "image pull secret", new() { Image = "alpine", ImagePullSecrets = ["Reg Cred"] }, "-ImagePullSecret 'Reg Cred' is not a Secret name" },
        { "priority class", new() { Image = "alpine", PriorityClass = "High!" }, "-PriorityClass 'High!' is not a PriorityClass name" },
        { "active deadline", new() { Image = "alpine", ActiveDeadline = TimeSpan.Zero }, "-ActiveDeadline must be positive" },
        { "security context field", new() { Image = "alpine", SecurityContext = """{ "runAsUsr": 1 }""" }, "-SecurityContext is not a container security context" },
        { "pod-level security field", new() { Image = "alpine", SecurityContext = """{ "fsGroup": 1 }""" }, "fsGroup is a setting of the whole pod" },
        { "working directory", new() { Image = "alpine", WorkingDirectory = "data" }, "-WorkingDirectory 'data' is not an absolute path" },
        { "init container without a name", new() { Image = "alpine", InitContainers = ["""{ "command": ["true"] }"""] }, "-InitContainer has no name" },
        { "init container with a restart policy", new() { Image = "alpine", InitContainers = ["""{ "name": "a", "restartPolicy": "Always" }"""] }, "use -Sidecar" },
        { "sidecar named base", new() { Image = "alpine", Sidecars = ["""{ "name": "base" }"""] }, "More than one container is named 'base'" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadSettingIsRefusedNamingItsParameterAndRule(string setting, PodBuildOptions options, string message)
    {
        var error = Assert.Throws<PodManagerException>(() => PodFactory.Build(options, "default"));
        Assert.True(error.ErrorId == ErrorIds.InvalidParameterValue.Name, $"{setting}: {error.ErrorId}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashtableKeysInAnyCaseAndSingleValuesReadAsTheObjectsFields()
    {
        var pod = PodFactory.Build(new PodBuildOptions
        {
            Image = "alpine",
            Tolerations = ["""{ "Key": "dedicated", "Operator": "Equal", "Value": "gpu", "Effect": "NoSchedule" }"""],
            Affinity = """{ "NodeAffinity": { "RequiredDuringSchedulingIgnoredDuringExecution": { "NodeSelectorTerms": { "MatchExpressions": { "Key": "pool", "Operator": "In", "Values": "batch" } } } } }""",
        }, "default");
        Assert.Equal("gpu", pod.Spec.Tolerations[0].Value);
        Assert.Equal(["batch"], pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values);
    }

    [Fact]
    public void TheRestrictedPresetCoversEveryContainer()
    {
        var pod = PodFactory.Build(new PodBuildOptions { Image = "alpine", SecurityContext = "restricted", Sidecars = ["""{ "name": "proxy" }"""] }, "default");
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal(SecurityPresets.RestrictedUser, pod.Spec.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        foreach (var container in pod.Spec.Containers.Concat(pod.Spec.InitContainers))
        {
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        }
    }
}
