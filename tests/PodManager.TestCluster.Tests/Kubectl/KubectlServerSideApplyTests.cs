using System.Text.Json;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary><c>kubectl apply --server-side</c>: create, update, conflicts with other managers, <c>--force-conflicts</c>.</summary>
public sealed class KubectlServerSideApplyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);
    private readonly string directory = Directory.CreateTempSubdirectory("kubectl-apply-").FullName;

    public void Dispose()
    {
        kubectl.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task ApplyCreatesThenUpdatesAndRemovesWhatItNoLongerApplies()
    {
        var name = Pods.Unique("settings");

        var created = await kubectl.OutputAsync("apply", "--server-side", "-f", await ConfigMapAsync(name, ("color", "blue"), ("size", "large")));
        var updated = await kubectl.OutputAsync("apply", "--server-side", "-f", await ConfigMapAsync(name, ("color", "green")));
        var data = await kubectl.OutputAsync("get", "configmap", name, "-o", "jsonpath={.data}");
        var managers = Managers(await kubectl.OutputAsync("get", "configmap", name, "-o", "json", "--show-managed-fields"));

        Assert.Equal($"configmap/{name} serverside-applied\n", created);
        Assert.Equal($"configmap/{name} serverside-applied\n", updated);
        Assert.Equal("{\"color\":\"green\"}", data);
        var kubectlEntry = Assert.Single(managers);
        Assert.Equal(("kubectl", "Apply"), (kubectlEntry.Manager, kubectlEntry.Operation));
        Assert.Equal("{\"f:data\":{\"f:color\":{}},\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}", kubectlEntry.Fields);
    }

    [Fact]
    public async Task AnotherManagerConflictsUntilItForcesAndThenOwnsTheField()
    {
        var name = Pods.Unique("shared");
        await kubectl.OutputAsync("apply", "--server-side", "-f", await ConfigMapAsync(name, ("color", "blue"), ("size", "large")));
        var theirs = await ConfigMapAsync(name, ("color", "red"));

        var conflict = await kubectl.RunAsync("apply", "--server-side", "--field-manager=deployer", "-f", theirs);
        var unchanged = await kubectl.OutputAsync("get", "configmap", name, "-o", "jsonpath={.data.color}");
        var forced = await kubectl.OutputAsync("apply", "--server-side", "--field-manager=deployer", "--force-conflicts", "-f", theirs);
        var after = await kubectl.OutputAsync("get", "configmap", name, "-o", "jsonpath={.data.color} {.data.size}");
        var managers = Managers(await kubectl.OutputAsync("get", "configmap", name, "-o", "json", "--show-managed-fields"));

        Assert.Equal(1, conflict.ExitCode);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.color\n", conflict.Error);
        Assert.Contains("--force-conflicts", conflict.Error);
        Assert.Equal("blue", unchanged);
        Assert.Equal($"configmap/{name} serverside-applied\n", forced);
        Assert.Equal("red large", after);
        Assert.Equal("{\"f:data\":{\"f:size\":{}},\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}", managers.Single(m => m.Manager == "kubectl").Fields);
        Assert.Equal("{\"f:data\":{\"f:color\":{}},\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}", managers.Single(m => m.Manager == "deployer").Fields);
    }

    [Fact]
    public async Task ApplyingOverWhatKubectlCreateSetConflictsWithItsUpdate()
    {
        var name = Pods.Unique("created");
        await kubectl.OutputAsync("create", "configmap", name, "--from-literal=color=blue");

        var conflict = await kubectl.RunAsync("apply", "--server-side", "-f", await ConfigMapAsync(name, ("color", "green")));
        var sameValue = await kubectl.OutputAsync("apply", "--server-side", "--field-manager=co-owner", "-f", await ConfigMapAsync(name, ("color", "blue")));

        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.color\n", conflict.Error);
        Assert.Equal($"configmap/{name} serverside-applied\n", sameValue);
    }

    [Fact]
    public async Task ApplyAPodAndThenChangeItsImageInAKeyedList()
    {
        var name = Pods.Unique("applied");
        var manifest = Path.Combine(directory, $"{name}.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: alpine
                command: ["sh", "-c", "until [ -e /tmp/go ]; do sleep 0.05; done"]
            """);

        var created = await kubectl.OutputAsync("apply", "--server-side", "-f", manifest);
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("image: alpine", "image: alpine:3.19"));
        var conflict = await kubectl.RunAsync("apply", "--server-side", "--field-manager=other", "-f", manifest);
        var updated = await kubectl.OutputAsync("apply", "--server-side", "-f", manifest);
        var image = await kubectl.OutputAsync("get", "pod", name, "-o", "jsonpath={.spec.containers[0].image}");

        Assert.Equal($"pod/{name} serverside-applied\n", created);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": .spec.containers[name=\"main\"].image\n", conflict.Error);
        Assert.Equal($"pod/{name} serverside-applied\n", updated);
        Assert.Equal("alpine:3.19", image);
        await kubectl.OutputAsync("delete", "pod", name, "--grace-period=0", "--force");
    }

    private async Task<string> ConfigMapAsync(string name, params (string Key, string Value)[] data)
    {
        var file = Path.Combine(directory, $"{name}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}
              labels:
                team: a
            data:
            {string.Join("\n", data.Select(d => $"  {d.Key}: {d.Value}"))}
            """);
        return file;
    }

    private static List<(string Manager, string Operation, string Fields)> Managers(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(e => (e.GetProperty("manager").GetString()!, e.GetProperty("operation").GetString()!, JsonSerializer.Serialize(e.GetProperty("fieldsV1"))))
            .ToList();
}
