using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.FieldManager;

/// <summary>Which top-level fields a write may own: a kind with a status subresource keeps status apart.</summary>
internal sealed record FieldScope(bool HasStatus, bool StatusOnly)
{
    public string? Subresource => StatusOnly ? "status" : null;

    public bool Includes(string topLevel) => !HasStatus || (topLevel == "f:status") == StatusOnly;
}

/// <summary>
/// The API server's field manager (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager over structured-merge-diff):
/// <c>metadata.managedFields</c> keeps, per manager and operation, the fields it set. An update (create, replace,
/// patch) gives its manager the fields whose values it changed and takes them from everyone else; an apply gives its
/// manager exactly the fields of its configuration, fails with 409 when it would change a field another manager owns
/// (unless forced, which takes the field over), and removes the fields it applied before and no longer applies, when
/// nobody else owns them.
/// </summary>
internal static class FieldManagerOperations
{
    /// <summary>The managed fields after an update from <paramref name="before"/> (null on create) to <paramref name="after"/>.</summary>
    public static IList<V1ManagedFieldsEntry>? Update(JsonObject? before, JsonObject after, IList<V1ManagedFieldsEntry>? managed, ApiType type, string manager, string apiVersion, FieldScope scope, DateTime now)
    {
        var setBefore = before is null ? [] : FieldSets.Of(before, type, scope.Includes);
        var setAfter = FieldSets.Of(after, type, scope.Includes);
        var changed = setAfter.Where(p => !setBefore.Contains(p) || (FieldSets.IsLeaf(FieldSets.Get(after, p)) && !JsonNode.DeepEquals(FieldSets.Get(before, p), FieldSets.Get(after, p)))).ToHashSet(StringComparer.Ordinal);
        changed.UnionWith(setBefore.Except(setAfter));
        if (changed.Count == 0)
        {
            return managed;
        }

        var entries = ManagedEntry.Read(managed);
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == scope.Subresource);
        foreach (var entry in entries.Where(e => e != mine))
        {
            entry.Fields.ExceptWith(changed);
        }

        if (mine is null)
        {
            entries.Add(mine = new ManagedEntry(manager, "Update", apiVersion, scope.Subresource, []));
        }

        mine.Fields.UnionWith(changed);
        mine.Fields.IntersectWith(setAfter);
        mine.Time = now;
        mine.ApiVersion = apiVersion;
        return ManagedEntry.Write(entries);
    }

    /// <summary>Merges an apply configuration into the live object (empty when the apply creates it).</summary>
    public static (JsonObject Merged, IList<V1ManagedFieldsEntry>? Managed) Apply(JsonObject live, JsonObject applied, IList<V1ManagedFieldsEntry>? managed, ApiType type, string manager, bool force, string apiVersion, FieldScope scope, DateTime now)
    {
        var appliedSet = FieldSets.Of(applied, type, scope.Includes);
        var entries = ManagedEntry.Read(managed);
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == scope.Subresource);
        var merged = ApplyMerge.Merge(live, applied, type);

        var conflicts = new List<(ManagedEntry Owner, string Path)>();
        foreach (var path in appliedSet.Order(StringComparer.Ordinal))
        {
            var value = FieldSets.Get(applied, path);
            var current = FieldSets.Get(live, path);
            if (!FieldSets.IsLeaf(value) || current is null || JsonNode.DeepEquals(current, value))
            {
                continue;
            }

            conflicts.AddRange(entries.Where(e => e != mine && e.Fields.Contains(path)).Select(e => (e, path)));
        }

        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts);
        }

        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Remove(path);
        }

        if (mine is not null)
        {
            foreach (var path in mine.Fields.Except(appliedSet).Where(p => !entries.Any(e => e != mine && e.Fields.Contains(p))).OrderByDescending(p => p.Length))
            {
                FieldSets.Remove(merged, path);
            }
        }
        else
        {
            entries.Add(mine = new ManagedEntry(manager, "Apply", apiVersion, scope.Subresource, []));
        }

        if (!mine.Fields.SetEquals(appliedSet) || conflicts.Count > 0)
        {
            mine.Fields.Clear();
            mine.Fields.UnionWith(appliedSet);
            mine.Time = now;
            mine.ApiVersion = apiVersion;
        }

        return (merged, ManagedEntry.Write(entries));
    }

    /// <summary>409 with the message and causes the API server gives (apiserver's NewConflictError).</summary>
    private static ApiException Conflict(List<(ManagedEntry Owner, string Path)> conflicts)
    {
        string Manager(ManagedEntry entry) => entry.Operation == "Update"
            ? $"\"{entry.Manager}\" using {entry.ApiVersion}"
            : $"\"{entry.Manager}\"";
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {Manager(conflicts[0].Owner)}: {FieldPath.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = conflicts.GroupBy(c => Manager(c.Owner)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => new[] { $"conflicts with {g.Key}" }.Concat(g.Select(c => $"- {FieldPath.Display(c.Path)}")));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with {Manager(c.Owner)}", FieldPath.Display(c.Path))).ToList();
        return new ApiException(new ApiStatus(409, "Conflict", message, new StatusDetails(Causes: causes)));
    }

    /// <summary>One entry of <c>metadata.managedFields</c>, its fields as a set of paths.</summary>
    private sealed class ManagedEntry(string manager, string operation, string apiVersion, string? subresource, HashSet<string> fields)
    {
        public string Manager { get; } = manager;

        public string Operation { get; } = operation;

        public string ApiVersion { get; set; } = apiVersion;

        public string? Subresource { get; } = subresource;

        public HashSet<string> Fields { get; } = fields;

        public DateTime? Time { get; set; }

        public static List<ManagedEntry> Read(IList<V1ManagedFieldsEntry>? managed) =>
            (managed ?? []).Select(e => new ManagedEntry(e.Manager ?? string.Empty, e.Operation ?? "Update", e.ApiVersion ?? string.Empty, string.IsNullOrEmpty(e.Subresource) ? null : e.Subresource, FieldPath.FromFieldsV1(FieldsNode(e.FieldsV1))) { Time = e.Time }).ToList();

        public static IList<V1ManagedFieldsEntry>? Write(List<ManagedEntry> entries)
        {
            var kept = entries.Where(e => e.Fields.Count > 0).Select(e => new V1ManagedFieldsEntry
            {
                Manager = e.Manager,
                Operation = e.Operation,
                ApiVersion = e.ApiVersion,
                Time = e.Time,
                FieldsType = "FieldsV1",
                FieldsV1 = JsonDocument.Parse(FieldPath.ToFieldsV1(e.Fields).ToJsonString()).RootElement.Clone(),
                Subresource = e.Subresource,
            }).ToList();
            return kept.Count == 0 ? null : kept;
        }

        private static JsonNode? FieldsNode(object? fields) => fields switch
        {
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            JsonNode node => node,
            null => null,
            var other => JsonNode.Parse(Convert.ToString(other, CultureInfo.InvariantCulture) ?? "{}"),
        };
    }
}
