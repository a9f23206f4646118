using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Scheduler;

/// <summary>A node started with labels, taints and an extended resource, as <c>--node-label</c>, <c>--node-taint</c>
/// and <c>--node-extended-resource</c> give them.</summary>
public sealed class ConfiguredNodeFixture : ClusterFixture
{
    protected override TestClusterOptions Options => base.Options with
    {
        NodeLabels = new Dictionary<string, string> { ["disktype"] = "ssd", ["zone-index"] = "3" },
        NodeTaints = ["dedicated=gpu:NoSchedule", "spot:PreferNoSchedule"],
        NodeExtendedResources = new Dictionary<string, string> { ["nvidia.com/gpu"] = "2" },
    };
}

public sealed class NodeConstraintTests(ConfiguredNodeFixture cluster) : IClassFixture<ConfiguredNodeFixture>
{
    private const string NotHelpful = " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

    private static readonly V1Toleration GpuToleration = new() { Key = "dedicated", OperatorProperty = "Equal", Value = "gpu", Effect = "NoSchedule" };

    [Fact]
    public async Task TheNodeCarriesTheConfiguredLabelsTaintsAndExtendedResources()
    {
        var node = await cluster.Client.CoreV1.ReadNodeAsync("testcluster-node");

        Assert.Equal("ssd", node.Metadata.Labels["disktype"]);
        Assert.Equal("testcluster-node", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal(
            ["dedicated=gpu:NoSchedule", "spot=:PreferNoSchedule"],
            node.Spec.Taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}"));
        Assert.Equal("2", node.Status.Capacity["nvidia.com/gpu"].ToString());
        Assert.Equal("2", node.Status.Allocatable["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public async Task AnUntoleratedNoScheduleTaintKeepsThePodPendingAndATolerationLetsItRun()
    {
        var untolerated = Pods.Unique("untolerated");
        var wrongEffect = Pods.Unique("wrong-effect");
        var equal = Pods.Unique("equal");
        var exists = Pods.Unique("exists");
        var everything = Pods.Unique("everything");
        await CreateAsync(Pods.Shell(untolerated, "true"));
        await CreateAsync(Tolerating(Pods.Shell(wrongEffect, "true"), new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gpu", Effect = "NoExecute" }));
        await CreateAsync(Tolerating(Pods.Shell(equal, "true"), GpuToleration));
        await CreateAsync(Tolerating(Pods.Shell(exists, "true"), new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }));
        await CreateAsync(Tolerating(Pods.Shell(everything, "true"), new V1Toleration { OperatorProperty = "Exists" }));

        const string message = "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}." + NotHelpful;
        Assert.Equal(message, await Waits.ForUnschedulableAsync(cluster.Client, "default", untolerated));
        Assert.Equal(message, await Waits.ForUnschedulableAsync(cluster.Client, "default", wrongEffect));
        var failed = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={untolerated},reason=FailedScheduling")).Items;
        Assert.Equal(message, Assert.Single(failed).Message);

        // The PreferNoSchedule taint only weighs in scoring: the tolerating pods run.
        foreach (var name in new[] { equal, exists, everything })
        {
            Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", name)).Status.Phase);
        }
    }

    [Fact]
    public async Task RequiredNodeAffinityMatchesLabelsWithEveryOperator()
    {
        V1NodeSelectorRequirement Expression(string key, string op, params string[] values) =>
            new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };
        var matching = new[]
        {
            Expression("disktype", "In", "ssd", "nvme"),
            Expression("disktype", "NotIn", "hdd"),
            Expression("kubernetes.io/os", "Exists"),
            Expression("gpu-model", "DoesNotExist"),
            Expression("zone-index", "Gt", "2"),
            Expression("zone-index", "Lt", "4"),
        };
        var failing = new[]
        {
            Expression("disktype", "In", "hdd"),
            Expression("disktype", "NotIn", "ssd"),
            Expression("gpu-model", "Exists"),
            Expression("disktype", "DoesNotExist"),
            Expression("zone-index", "Gt", "3"),
            Expression("zone-index", "Lt", "3"),
        };
        var runs = Pods.Unique("affinity-all");
        await CreateAsync(WithAffinity(Pods.Shell(runs, "true"), new V1NodeSelectorTerm { MatchExpressions = matching }));
        var pending = new List<string>();
        foreach (var expression in failing)
        {
            var name = Pods.Unique("affinity-" + expression.OperatorProperty.ToLowerInvariant());
            pending.Add(name);
            await CreateAsync(WithAffinity(Pods.Shell(name, "true"), new V1NodeSelectorTerm { MatchExpressions = [.. matching.Skip(1), expression] }));
        }

        // Terms are ORed: one matching term is enough.
        var ored = Pods.Unique("affinity-or");
        await CreateAsync(WithAffinity(Pods.Shell(ored, "true"), new V1NodeSelectorTerm { MatchExpressions = [failing[0]] }, new V1NodeSelectorTerm { MatchExpressions = [matching[0]] }));

        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", runs)).Status.Phase);
        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", ored)).Status.Phase);
        foreach (var name in pending)
        {
            Assert.Equal("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + NotHelpful, await Waits.ForUnschedulableAsync(cluster.Client, "default", name));
        }
    }

    [Fact]
    public async Task MatchFieldsOnTheNodeNameSelectOrExcludeTheNode()
    {
        V1NodeSelectorTerm Field(string op, string node) =>
            new() { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = op, Values = [node] }] };
        var chosen = Pods.Unique("fields-in");
        var elsewhere = Pods.Unique("fields-other");
        var excluded = Pods.Unique("fields-notin");
        await CreateAsync(WithAffinity(Pods.Shell(chosen, "true"), Field("In", "testcluster-node")));
        await CreateAsync(WithAffinity(Pods.Shell(elsewhere, "true"), Field("In", "another-node")));
        await CreateAsync(WithAffinity(Pods.Shell(excluded, "true"), Field("NotIn", "testcluster-node")));

        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", chosen)).Status.Phase);
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity]." + NotHelpful, await Waits.ForUnschedulableAsync(cluster.Client, "default", elsewhere));
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + NotHelpful, await Waits.ForUnschedulableAsync(cluster.Client, "default", excluded));
    }

    [Fact]
    public async Task ExtendedResourcesAreScheduledAgainstTheNodesCount()
    {
        var holder = Pods.Unique("gpu-holder");
        var waiting = Pods.Unique("gpu-waiting");
        var unknown = Pods.Unique("widget");
        await CreateAsync(Requesting(Tolerating(Pods.LongRunning(holder), GpuToleration), "nvidia.com/gpu", "2"));
        await Waits.ForRunningAsync(cluster.Client, "default", holder);
        await CreateAsync(Requesting(Tolerating(Pods.Shell(waiting, "echo got a gpu"), GpuToleration), "nvidia.com/gpu", "1"));
        await CreateAsync(Requesting(Tolerating(Pods.Shell(unknown, "true"), GpuToleration), "example.com/widget", "1"));

        const string noVictims = " preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
        Assert.Equal("0/1 nodes are available: 1 Insufficient nvidia.com/gpu." + noVictims, await Waits.ForUnschedulableAsync(cluster.Client, "default", waiting));
        Assert.Equal("0/1 nodes are available: 1 Insufficient example.com/widget." + noVictims, await Waits.ForUnschedulableAsync(cluster.Client, "default", unknown));
        var created = await cluster.Client.CoreV1.ReadNamespacedPodAsync(waiting, "default");
        Assert.Equal("1", created.Spec.Containers[0].Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("BestEffort", created.Status.QosClass);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(holder, "default");
        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", waiting)).Status.Phase);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(unknown, "default");
    }

    [Fact]
    public async Task ChangingTheNodesLabelsOrCordoningItIsSeenByTheScheduler()
    {
        var selecting = Pods.Unique("team-a");
        var pod = Tolerating(Pods.Shell(selecting, "true"), GpuToleration);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["team"] = "a" };
        await CreateAsync(pod);
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + NotHelpful, await Waits.ForUnschedulableAsync(cluster.Client, "default", selecting));

        await PatchNodeAsync("""{"metadata":{"labels":{"team":"a"}}}""");
        var cordoned = Pods.Unique("cordoned");
        try
        {
            Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", selecting)).Status.Phase);
            await PatchNodeAsync("""{"spec":{"unschedulable":true}}""");
            await CreateAsync(Tolerating(Pods.Shell(cordoned, "true"), GpuToleration));
            Assert.Equal("0/1 nodes are available: 1 node(s) were unschedulable." + NotHelpful, await Waits.ForUnschedulableAsync(cluster.Client, "default", cordoned));
        }
        finally
        {
            await PatchNodeAsync("""{"metadata":{"labels":{"team":null}},"spec":{"unschedulable":null}}""");
        }

        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", cordoned)).Status.Phase);
    }

    private Task CreateAsync(V1Pod pod) => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

    private Task PatchNodeAsync(string patch) =>
        cluster.Client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "testcluster-node");

    private static V1Pod Tolerating(V1Pod pod, V1Toleration toleration)
    {
        pod.Spec.Tolerations = [toleration];
        return pod;
    }

    private static V1Pod WithAffinity(V1Pod pod, params V1NodeSelectorTerm[] terms)
    {
        pod.Spec.Tolerations = [GpuToleration];
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms } },
        };
        return pod;
    }

    private static V1Pod Requesting(V1Pod pod, string resource, string count)
    {
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { [resource] = new(count) } };
        return pod;
    }
}
