using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

/// <summary>Server-side apply and managed fields through KubernetesClient (<c>PatchType.ApplyPatch</c>) and raw YAML.</summary>
public sealed class ServerSideApplyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task ApplyPatchCreatesUpdatesAndKeepsManagedFieldsPerManager()
    {
        var name = Pods.Unique("applied");

        var created = await ApplyAsync(name, "runbook", force: false, ("mode", "fast"), ("level", "3"));
        var updated = await ApplyAsync(name, "runbook", force: false, ("mode", "slow"), ("level", "3"));

        Assert.Equal("fast", created.Data["mode"]);
        Assert.Equal("slow", updated.Data["mode"]);
        var entry = Assert.Single(updated.Metadata.ManagedFields);
        Assert.Equal(("runbook", "Apply", "v1", "FieldsV1"), (entry.Manager, entry.Operation, entry.ApiVersion, entry.FieldsType));
        Assert.Equal("{\"f:data\":{\"f:level\":{},\"f:mode\":{}}}", JsonSerializer.Serialize(entry.FieldsV1));
        Assert.NotNull(entry.Time);
    }

    [Fact]
    public async Task AConflictIsA409ListingTheFieldsAndForceTakesThemOver()
    {
        var name = Pods.Unique("contested");
        await ApplyAsync(name, "first", force: false, ("mode", "fast"), ("level", "3"));

        var conflict = await StatusAssert.ThrowsAsync(() => ApplyAsync(name, "second", force: false, ("mode", "slow"), ("level", "4")), 409, "Conflict");
        var forced = await ApplyAsync(name, "second", force: true, ("mode", "slow"), ("level", "4"));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"first\"\n- .data.level\n- .data.mode", conflict.GetProperty("message").GetString());
        var causes = conflict.GetProperty("details").GetProperty("causes").EnumerateArray().ToList();
        Assert.Equal(["FieldManagerConflict", "FieldManagerConflict"], causes.Select(c => c.GetProperty("reason").GetString()));
        Assert.Equal([".data.level", ".data.mode"], causes.Select(c => c.GetProperty("field").GetString()));
        Assert.All(causes, c => Assert.Equal("conflict with \"first\"", c.GetProperty("message").GetString()));
        Assert.Equal("slow", forced.Data["mode"]);
        var second = Assert.Single(forced.Metadata.ManagedFields);
        Assert.Equal("second", second.Manager);
    }

    [Fact]
    public async Task AnUpdateTakesOverTheFieldsItChangesFromAnApplier()
    {
        var name = Pods.Unique("updated");
        await ApplyAsync(name, "applier", force: false, ("mode", "fast"), ("level", "3"));

        var patch = new V1Patch("{\"data\":{\"mode\":\"manual\"}}", V1Patch.PatchType.MergePatch);
        var patched = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, "default", fieldManager: "operator");

        var applier = patched.Metadata.ManagedFields.Single(e => e.Manager == "applier");
        var updater = patched.Metadata.ManagedFields.Single(e => e.Manager == "operator");
        Assert.Equal("{\"f:data\":{\"f:level\":{}}}", JsonSerializer.Serialize(applier.FieldsV1));
        Assert.Equal(("Update", "{\"f:data\":{\"f:mode\":{}}}"), (updater.Operation, JsonSerializer.Serialize(updater.FieldsV1)));
    }

    [Fact]
    public async Task ApplyNeedsAFieldManagerAndForceIsOnlyForApply()
    {
        var name = Pods.Unique("nomanager");
        var body = new V1Patch(ConfigMap(name, ("a", "b")), V1Patch.PatchType.ApplyPatch);

        var missing = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(body, name, "default"), 422, "Invalid");
        await ApplyAsync(name, "owner", force: false, ("a", "b"));
        var merge = new V1Patch("{\"data\":{\"a\":\"c\"}}", V1Patch.PatchType.MergePatch);
        var forbidden = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(merge, name, "default", force: true), 422, "Invalid");

        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", missing.GetProperty("message").GetString());
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", forbidden.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AYamlApplyConfigurationIsReadAsTheApiServerReadsIt()
    {
        var name = Pods.Unique("yaml");
        using var http = cluster.Http();
        var content = new StringContent($"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}
              labels:
                quoted: "true"
            data:
              plain: text
            """, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");

        using var response = await http.PatchAsync($"/api/v1/namespaces/default/configmaps/{name}?fieldManager=yaml", content);

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var stored = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, "default");
        Assert.Equal("text", stored.Data["plain"]);
        Assert.Equal("true", stored.Metadata.Labels["quoted"]);
    }

    [Fact]
    public async Task CreateRecordsTheCreatorAsTheManagerOfEveryFieldItSet()
    {
        var name = Pods.Unique("creator");
        var pod = Pods.Shell(name, "true");

        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default", fieldManager: "creator");

        var entry = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal(("creator", "Update"), (entry.Manager, entry.Operation));
        var fields = JsonSerializer.Serialize(entry.FieldsV1);
        Assert.Contains("\"k:{\\u0022name\\u0022:\\u0022base\\u0022}\":{\".\":{}", fields);
        Assert.Contains("\"f:restartPolicy\":{}", fields);
        Assert.DoesNotContain("f:status", fields);
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
    }

    private Task<V1ConfigMap> ApplyAsync(string name, string manager, bool force, params (string Key, string Value)[] data) =>
        cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(ConfigMap(name, data), V1Patch.PatchType.ApplyPatch), name, "default", fieldManager: manager, force: force);

    private static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };
}
