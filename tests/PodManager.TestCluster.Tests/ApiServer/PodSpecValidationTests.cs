using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

/// <summary>The API server's checks of tolerations, node affinity, resources and volumes, with the real messages.</summary>
public sealed class PodSpecValidationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task TolerationsAreChecked()
    {
        var pod = Pods.Shell(Pods.Unique("tolerations"), "true");
        pod.Spec.Tolerations =
        [
            new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Value = "gpu" },
            new V1Toleration { Key = "dedicated", OperatorProperty = "Matches", Value = "gpu" },
            new V1Toleration { OperatorProperty = "Equal", Value = "gpu" },
            new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gpu", Effect = "Never" },
            new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Effect = "NoSchedule", TolerationSeconds = 60 },
        ];

        var errors = await CausesAsync(pod);

        Assert.Equal("Invalid value: core.Toleration{Key:\"dedicated\", Operator:\"Exists\", Value:\"gpu\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'", errors["spec.tolerations[0].operator"]);
        Assert.Equal("Unsupported value: \"Matches\": supported values: \"Equal\", \"Exists\"", errors["spec.tolerations[1].operator"]);
        Assert.Equal("Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"", errors["spec.tolerations[2].operator"]);
        Assert.Equal("Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", errors["spec.tolerations[3].effect"]);
        Assert.Equal("Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set", errors["spec.tolerations[4].effect"]);
    }

    [Fact]
    public async Task RequiredNodeAffinityIsChecked()
    {
        var pod = Pods.Shell(Pods.Unique("affinity"), "true");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm
                        {
                            MatchExpressions =
                            [
                                new V1NodeSelectorRequirement { Key = "disktype", OperatorProperty = "In" },
                                new V1NodeSelectorRequirement { Key = "disktype", OperatorProperty = "Exists", Values = ["ssd"] },
                                new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "Gt", Values = ["1", "2"] },
                                new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "Like", Values = ["1"] },
                            ],
                            MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.uid", OperatorProperty = "In", Values = ["a", "b"] }],
                        },
                    ],
                },
            },
        };
        var empty = Pods.Shell(Pods.Unique("no-terms"), "true");
        empty.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [] } } };

        var errors = await CausesAsync(pod);
        var none = await CausesAsync(empty);

        const string term = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
        Assert.Equal("Required value: must be specified when `operator` is 'In' or 'NotIn'", errors[$"{term}.matchExpressions[0].values"]);
        Assert.Equal("Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", errors[$"{term}.matchExpressions[1].values"]);
        Assert.Equal("Required value: must be specified single value when `operator` is 'Lt' or 'Gt'", errors[$"{term}.matchExpressions[2].values"]);
        Assert.Equal("Invalid value: \"Like\": not a valid selector operator", errors[$"{term}.matchExpressions[3].operator"]);
        Assert.Equal("Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector", errors[$"{term}.matchFields[0].values"]);
        Assert.Equal("Invalid value: \"metadata.uid\": not a valid field selector key", errors[$"{term}.matchFields[0].key"]);
        Assert.Equal("Required value: must have at least one node selector term", none["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"]);
    }

    [Fact]
    public async Task ExtendedResourcesAreWholeNumbersThatCannotBeOvercommitted()
    {
        var pod = Pods.Shell(Pods.Unique("gpus"), "true");
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1"), ["gpu"] = new("1") },
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("2"), ["example.com/fpga"] = new("500m") },
        };
        var requestOnly = Pods.Shell(Pods.Unique("request-only"), "true");
        requestOnly.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } };

        var errors = await CausesAsync(pod);
        var missingLimit = await CausesAsync(requestOnly);

        const string at = "spec.containers[0].resources";
        Assert.Equal("Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2", errors[$"{at}.requests[nvidia.com/gpu]"]);
        Assert.Equal("Invalid value: \"gpu\": must be a standard resource for containers", errors[$"{at}.requests[gpu]"]);
        Assert.Equal("Invalid value: \"500m\": must be an integer", errors[$"{at}.limits[example.com/fpga]"]);
        Assert.Equal("Required value: Limit must be set for non overcommitable resources", missingLimit[$"{at}.limits"]);
    }

    [Fact]
    public async Task VolumeSourcesModesAndPathsAreChecked()
    {
        var pod = Pods.Shell(Pods.Unique("volumes"), "true");
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app", DefaultMode = 1000, Items = [new V1KeyToPath { Key = "a", Path = "../etc/passwd" }, new V1KeyToPath { Key = "b", Path = "/abs", Mode = -1 }] } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { Items = [new V1KeyToPath { Key = "c", Path = "..hidden" }] } },
            new V1Volume { Name = "claim", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource() },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/app", SubPath = "../../root" }];

        var errors = await CausesAsync(pod);

        Assert.Equal("Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive", errors["spec.volumes[0].configMap.defaultMode"]);
        Assert.Equal("Invalid value: \"../etc/passwd\": must not contain '..'", errors["spec.volumes[0].configMap.items[0].path"]);
        Assert.Equal("Invalid value: \"/abs\": must be a relative path", errors["spec.volumes[0].configMap.items[1].path"]);
        Assert.Equal("Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive", errors["spec.volumes[0].configMap.items[1].mode"]);
        Assert.Equal("Required value", errors["spec.volumes[1].secret.secretName"]);
        Assert.Equal("Invalid value: \"..hidden\": must not start with '..'", errors["spec.volumes[1].secret.items[0].path"]);
        Assert.Equal("Required value", errors["spec.volumes[2].persistentVolumeClaim.claimName"]);
        Assert.Equal("Invalid value: \"../../root\": must not contain '..'", errors["spec.containers[0].volumeMounts[0].subPath"]);
    }

    [Fact]
    public async Task ConfigKeysCannotCollideWithTheVolumesOwnEntries()
    {
        var config = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = Pods.Unique("keys") }, Data = new Dictionary<string, string> { ["..data"] = "x", ["."] = "y" } };

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(config, "default"), 422, "Invalid");

        Assert.Equal($"ConfigMap \"{config.Metadata.Name}\" is invalid: [data[..data]: Invalid value: \"..data\": must not start with '..', data[.]: Invalid value: \".\": must not be '.']", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ActiveDeadlineSecondsMayOnlyBeLowered()
    {
        var name = Pods.Unique("deadline-update");
        var pod = Pods.LongRunning(name);
        pod.Spec.ActiveDeadlineSeconds = 600;
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var raised = await StatusAssert.ThrowsAsync(() => PatchAsync(name, """{"spec":{"activeDeadlineSeconds":700}}"""), 422, "Invalid");
        var removed = await StatusAssert.ThrowsAsync(() => PatchAsync(name, """{"spec":{"activeDeadlineSeconds":null}}"""), 422, "Invalid");
        var lowered = await PatchAsync(name, """{"spec":{"activeDeadlineSeconds":500}}""");

        Assert.Equal($"Pod \"{name}\" is invalid: spec.activeDeadlineSeconds: Invalid value: 700: must be less than or equal to previous value", raised.GetProperty("message").GetString());
        Assert.Equal($"Pod \"{name}\" is invalid: spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value", removed.GetProperty("message").GetString());
        Assert.Equal(500, lowered.Spec.ActiveDeadlineSeconds);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    private Task<V1Pod> PatchAsync(string name, string patch) =>
        cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, "default");

    /// <summary>Creates the pod, requiring a 422; returns each cause's message by field.</summary>
    private async Task<Dictionary<string, string>> CausesAsync(V1Pod pod)
    {
        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default"), 422, "Invalid");
        return status.GetProperty("details").GetProperty("causes").EnumerateArray()
            .GroupBy(c => c.GetProperty("field").GetString()!)
            .ToDictionary(g => g.Key, g => g.First().GetProperty("message").GetString()!);
    }
}
