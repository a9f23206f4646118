using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.FieldManager;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>
/// Managed fields and server-side apply for every kind: each write records its field manager in
/// <c>metadata.managedFields</c> (<see cref="FieldManagerOperations"/>), and a PATCH of type
/// <c>application/apply-patch+yaml</c> applies a configuration, creating the object when it does not exist.
/// </summary>
internal sealed partial class ResourceApi<T>
{
    private static bool IsApply(string? contentType) =>
        string.Equals(contentType?.Split(';')[0].Trim(), ApplyConfiguration.MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>fieldManager</c> parameter; without one, an update is managed by the client's user agent and an apply is refused.</summary>
    private static string FieldManagerName(HttpContext context, bool apply)
    {
        var query = context.Request.Query;
        if (!apply && QueryParameters.GetString(query, "force") is not null)
        {
            throw ApiErrors.Invalid("PatchOptions.meta.k8s.io", string.Empty, [Validation.FieldError.Forbidden("force", "may not be specified for non-apply patch")]);
        }

        if (QueryParameters.GetString(query, "fieldManager") is { Length: > 0 } manager)
        {
            return manager;
        }

        if (apply)
        {
            throw ApiErrors.Invalid("PatchOptions.meta.k8s.io", string.Empty, [Validation.FieldError.Required("fieldManager", "is required for apply patch")]);
        }

        // apiserver's default: the user agent up to its first slash.
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return userAgent.Split('/')[0] is { Length: > 0 } prefix ? prefix : "unknown";
    }

    private IList<V1ManagedFieldsEntry>? TrackUpdate(T? before, T after, string manager, bool statusOnly) =>
        FieldManagerOperations.Update(
            before is null ? null : ToNode(before),
            ToNode(after),
            before?.Metadata.ManagedFields,
            Type,
            manager,
            Info.ApiVersion,
            new FieldScope(strategy.HasStatus, statusOnly),
            Timestamps.Seconds(Time));

    private async Task ApplyAsync(HttpContext context, ObjectKey key, bool statusOnly, byte[] body, CancellationToken cancellationToken)
    {
        var manager = FieldManagerName(context, apply: true);
        var force = QueryParameters.GetBool(context.Request.Query, "force");
        var applied = ApplyConfiguration.Parse(body);
        foreach (var required in new[] { "apiVersion", "kind" })
        {
            if (applied[required] is null)
            {
                throw ApiErrors.BadRequest($"Object '{(required == "kind" ? "Kind" : required)}' is missing in '{applied.ToJsonString()}'");
            }
        }

        var appliedJson = Encoding.UTF8.GetBytes(applied.ToJsonString());
        ReadObject(context, appliedJson);
        var scope = new FieldScope(strategy.HasStatus, statusOnly);
        var now = Timestamps.Seconds(Time);
        var stored = Write(DryRun.Requested(context, "PatchOptions"), key, current =>
        {
            var (merged, managed) = FieldManagerOperations.Apply(ToNode(current.Value), applied, current.Value.Metadata.ManagedFields, Type, manager, force, Info.ApiVersion, scope, now);
            return PrepareUpdate(context, KubernetesJson.Deserialize<T>(merged.ToJsonString()), current, statusOnly, manager, managed);
        });
        if (stored is not null)
        {
            await ApiResponses.WriteJsonAsync(context, 200, stored.Json, cancellationToken);
            return;
        }

        if (statusOnly)
        {
            throw ApiErrors.NotFound(Info.Plural, key.Name);
        }

        // Nothing to apply to: the configuration creates the object, its manager owning every field it set.
        var (created, createdManaged) = FieldManagerOperations.Apply(new JsonObject(), applied, null, Type, manager, force, Info.ApiVersion, scope, now);
        var item = KubernetesJson.Deserialize<T>(created.ToJsonString());
        if (!string.IsNullOrEmpty(item.Metadata?.Name) && item.Metadata.Name != key.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({item.Metadata.Name}) does not match the name on the URL ({key.Name})");
        }

        (item.Metadata ??= new V1ObjectMeta()).Name = key.Name;
        item.ApiVersion = Info.ApiVersion;
        item.Kind = Info.Kind;
        await CreateObjectAsync(context, key.Namespace.Length == 0 ? null : key.Namespace, item, _ => createdManaged, cancellationToken);
    }
}
