using System.Text;
using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Admission;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.ApiServer.Watch;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>
/// The REST mechanics shared by every kind: list (selectors, paging, tables), watch, get, create (generateName,
/// validation, defaults, strict field validation), replace, patch, delete (preconditions) and the status
/// subresource. What differs between kinds lives in the <see cref="ResourceStrategy{T}"/>.
/// </summary>
internal sealed partial class ResourceApi<T>(ResourceStrategy<T> strategy, WatchStreamer watches) : IResourceApi
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const int GenerateNameAttempts = 8;

    public ResourceInfo Info => strategy.Info;

    private ResourceStore<T> Store => strategy.Store;

    private TimeProvider Time => strategy.Cluster.Time;

    public Task HandleCollectionAsync(HttpContext context, string? namespaceName, bool watchPath, CancellationToken cancellationToken) =>
        context.Request.Method switch
        {
            "GET" or "HEAD" => ListAsync(context, namespaceName, null, watchPath, cancellationToken),
            "POST" when namespaceName is not null || !Info.Namespaced => CreateAsync(context, namespaceName, cancellationToken),
            "DELETE" => DeleteCollectionAsync(context, namespaceName, cancellationToken),
            _ => throw ApiErrors.MethodNotAllowed(),
        };

    public Task HandleItemAsync(HttpContext context, string? namespaceName, string name, bool watchPath, CancellationToken cancellationToken)
    {
        if (watchPath)
        {
            return ListAsync(context, namespaceName, name, watchPath: true, cancellationToken);
        }

        var key = new ObjectKey(namespaceName ?? string.Empty, name);
        return context.Request.Method switch
        {
            "GET" or "HEAD" => GetAsync(context, key, cancellationToken),
            "PUT" => ReplaceAsync(context, key, statusOnly: false, cancellationToken),
            "PATCH" => PatchAsync(context, key, statusOnly: false, cancellationToken),
            "DELETE" => DeleteAsync(context, key, cancellationToken),
            _ => throw ApiErrors.MethodNotAllowed(),
        };
    }

    public Task HandleSubresourceAsync(HttpContext context, string? namespaceName, string name, string subresource, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(namespaceName ?? string.Empty, name);
        if (subresource != "status" || !strategy.HasStatus)
        {
            return strategy.HandleSubresourceAsync(context, key, subresource, cancellationToken);
        }

        return context.Request.Method switch
        {
            "GET" => GetAsync(context, key, cancellationToken),
            "PUT" => ReplaceAsync(context, key, statusOnly: true, cancellationToken),
            "PATCH" => PatchAsync(context, key, statusOnly: true, cancellationToken),
            _ => throw ApiErrors.MethodNotAllowed(),
        };
    }

    private async Task ListAsync(HttpContext context, string? namespaceName, string? name, bool watchPath, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(QueryParameters.GetString(query, "labelSelector"));
        var fields = strategy.Fields.Bind(FieldSelector.Parse(QueryParameters.GetString(query, "fieldSelector")));
        bool Matches(T item) => (name is null || item.Metadata.Name == name) && labels.Matches(item.Metadata.Labels) && fields(item);

        if (watchPath || QueryParameters.GetBool(query, "watch"))
        {
            await watches.StreamAsync(context, Info.Kind, Store, namespaceName, Matches, WatchRequest.From(query), WatchRenderer(context), cancellationToken);
            return;
        }

        var (items, resourceVersion) = Store.List(namespaceName);
        IEnumerable<StoredObject<T>> selected = items.Where(item => Matches(item.Value));
        if (QueryParameters.GetString(query, "continue") is { } token)
        {
            var start = ContinueToken.DecodeStart(token);
            selected = selected.Where(item => string.CompareOrdinal(item.Key.ToString(), start) > 0);
        }

        var page = selected.ToList();
        string? continueToken = null;
        long? remaining = null;
        if (QueryParameters.GetInt64(query, "limit") is > 0 and var limit && page.Count > limit)
        {
            remaining = page.Count - limit;
            page = page.Take((int)limit).ToList();
            continueToken = ContinueToken.Encode(resourceVersion, page[^1].Key.ToString());
        }

        var version = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = TableWriter.IsRequested(context.Request)
            ? TableWriter.Render(strategy.Table, page, version, continueToken, TableWriter.ObjectMode(query), Now())
            : ObjectListWriter.Render(Info.ListKind, Info.ApiVersion, page, version, continueToken, remaining);
        await ApiResponses.WriteJsonAsync(context, 200, body, cancellationToken);
    }

    private Task GetAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        var stored = Store.Get(key) ?? throw ApiErrors.NotFound(Info.Plural, key.Name, Info.Group);
        var body = TableWriter.IsRequested(context.Request)
            ? TableWriter.Render(strategy.Table, [stored], stored.Value.Metadata.ResourceVersion, null, TableWriter.ObjectMode(context.Request.Query), Now())
            : stored.Json;
        return ApiResponses.WriteJsonAsync(context, 200, body, cancellationToken);
    }

    private async Task CreateAsync(HttpContext context, string? namespaceName, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadBytesAsync(context.Request, cancellationToken);
        var item = ReadObject(context, body);
        var manager = FieldManagerName(context, apply: false);
        await CreateObjectAsync(context, namespaceName, item, created => TrackUpdate(null, created, manager, statusOnly: false), cancellationToken);
    }

    /// <summary>Creates <paramref name="item"/>; <paramref name="managedFields"/> gives its managed fields once defaulted.</summary>
    private async Task CreateObjectAsync(HttpContext context, string? namespaceName, T item, Func<T, IList<V1ManagedFieldsEntry>?> managedFields, CancellationToken cancellationToken)
    {
        var dryRun = DryRun.Requested(context, "CreateOptions");
        var meta = item.Metadata ??= new V1ObjectMeta();
        if (Info.Namespaced)
        {
            if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != namespaceName)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta.NamespaceProperty = namespaceName;
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        SetServerMetadata(meta);

        // Mutating admission comes before the name is generated and the object validated; its errors name the
        // object by its name, else its generateName (admission.NewForbidden).
        var admissionName = !string.IsNullOrEmpty(meta.Name) ? meta.Name : !string.IsNullOrEmpty(meta.GenerateName) ? meta.GenerateName : "Unknown";
        if (Info.Namespaced)
        {
            NamespaceLifecycle.Admit(strategy.Cluster, namespaceName!, Info.Plural, admissionName);
        }

        strategy.AdmitCreate(item, admissionName);
        for (var attempt = 0; attempt < GenerateNameAttempts; attempt++)
        {
            if (generated)
            {
                meta.Name = NameGenerator.Generate(meta.GenerateName);
            }

            if (attempt == 0)
            {
                Validate(meta, ObjectMetaRules.Validate(meta, strategy.NameRule).Concat(WithEnumRules(item, strategy.ValidateCreate(item))));
                AdmissionChain.Admit(context, strategy.Cluster, Info, namespaceName, meta.Name, item, null);
                strategy.ApplyDefaults(item);
                meta.ManagedFields = managedFields(item);
            }

            if (dryRun && Store.Get(new ObjectKey(meta.NamespaceProperty ?? string.Empty, meta.Name)) is null)
            {
                // The object as it would be stored: defaults, uid and creationTimestamp, no resourceVersion.
                await ApiResponses.WriteJsonAsync(context, 201, Encoding.UTF8.GetBytes(KubernetesJson.Serialize(item)), cancellationToken);
                return;
            }

            if (!dryRun && Store.TryCreate(item) is { } stored)
            {
                await ApiResponses.WriteJsonAsync(context, 201, stored.Json, cancellationToken);
                return;
            }

            if (!generated)
            {
                throw ApiErrors.AlreadyExists(Info.Plural, meta.Name, Info.Group);
            }
        }

        throw ApiErrors.GeneratedNameTaken(Info.Plural, meta.Name, Info.Group);
    }

    private async Task ReplaceAsync(HttpContext context, ObjectKey key, bool statusOnly, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadBytesAsync(context.Request, cancellationToken);
        var item = ReadObject(context, body);
        if (string.IsNullOrEmpty(item.Metadata?.ResourceVersion))
        {
            throw ApiErrors.Invalid(Info.Kind, key.Name, [new FieldError("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update")], Info.Group);
        }

        var manager = FieldManagerName(context, apply: false);
        var stored = Write(DryRun.Requested(context, "UpdateOptions"), key, current => PrepareUpdate(context, item, current, statusOnly, manager)) ?? throw ApiErrors.NotFound(Info.Plural, key.Name, Info.Group);
        await ApiResponses.WriteJsonAsync(context, 200, stored.Json, cancellationToken);
    }

    private async Task PatchAsync(HttpContext context, ObjectKey key, bool statusOnly, CancellationToken cancellationToken)
    {
        var dryRun = DryRun.Requested(context, "PatchOptions");
        var body = await JsonBody.ReadBytesAsync(context.Request, cancellationToken);
        var contentType = context.Request.ContentType;
        if (IsApply(contentType))
        {
            await ApplyAsync(context, key, statusOnly, body, cancellationToken);
            return;
        }

        var manager = FieldManagerName(context, apply: false);
        var stored = Write(dryRun, key, current =>
        {
            var patched = Patches.Apply(Patches.ToNode(current.Json), contentType, body, Type);
            var item = KubernetesJson.Deserialize<T>(patched);
            return PrepareUpdate(context, item, current, statusOnly, manager);
        }) ?? throw ApiErrors.NotFound(Info.Plural, key.Name, Info.Group);
        await ApiResponses.WriteJsonAsync(context, 200, stored.Json, cancellationToken);
    }

    /// <summary>Commits an update, or with dryRun only computes it: the answer keeps the current resourceVersion.</summary>
    private StoredObject<T>? Write(bool dryRun, ObjectKey key, Func<StoredObject<T>, T?> next)
    {
        if (!dryRun)
        {
            return Store.Update(key, next);
        }

        var current = Store.Get(key);
        return current is null ? null : next(current) is { } value ? new StoredObject<T>(value, current.ResourceVersion) : current;
    }

    /// <summary>Checks and completes an update; its managed fields are <paramref name="applied"/> (an apply's) or those the update earns its manager.</summary>
    private T PrepareUpdate(HttpContext context, T item, StoredObject<T> current, bool statusOnly, string manager, IList<V1ManagedFieldsEntry>? applied = null)
    {
        var meta = item.Metadata ??= new V1ObjectMeta();
        if (!string.IsNullOrEmpty(meta.Name) && meta.Name != current.Key.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({current.Key.Name})");
        }

        if (!string.IsNullOrEmpty(meta.ResourceVersion) && meta.ResourceVersion != current.Value.Metadata.ResourceVersion)
        {
            throw ApiErrors.StaleResourceVersion(Info.Plural, current.Key.Name, Info.Group);
        }

        if (statusOnly)
        {
            var withStatus = current.Clone();
            strategy.CopyStatus(item, withStatus);
            withStatus.Metadata.ManagedFields = applied ?? TrackUpdate(current.Value, withStatus, manager, statusOnly);
            return withStatus;
        }

        var old = current.Value.Metadata;
        meta.Name = old.Name;
        meta.NamespaceProperty = old.NamespaceProperty;
        meta.Uid = old.Uid;
        meta.CreationTimestamp = old.CreationTimestamp;
        meta.DeletionTimestamp = old.DeletionTimestamp;
        meta.DeletionGracePeriodSeconds = old.DeletionGracePeriodSeconds;
        meta.GenerateName = old.GenerateName;
        item.ApiVersion = Info.ApiVersion;
        item.Kind = Info.Kind;
        strategy.PreserveOnUpdate(item, current.Value);
        Validate(meta, ObjectMetaRules.Validate(meta, strategy.NameRule).Concat(WithEnumRules(item, strategy.ValidateUpdate(item, current.Value))));
        AdmissionChain.Admit(context, strategy.Cluster, Info, current.Key.Namespace.Length == 0 ? null : current.Key.Namespace, current.Key.Name, item, current.Value);
        meta.ManagedFields = applied ?? TrackUpdate(current.Value, item, manager, statusOnly);
        return item;
    }

    private async Task DeleteAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsReader.ReadAsync(context.Request, cancellationToken);
        var dryRun = DryRun.Requested(context, "DeleteOptions", options.DryRun);
        var current = Store.Get(key) ?? throw ApiErrors.NotFound(Info.Plural, key.Name, Info.Group);
        CheckPreconditions(options, current);
        var result = dryRun ? strategy.PreviewDelete(current, options) : strategy.Delete(current, options);
        await ApiResponses.WriteJsonAsync(context, result.StatusCode, result.Json, cancellationToken);
    }

    private async Task DeleteCollectionAsync(HttpContext context, string? namespaceName, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsReader.ReadAsync(context.Request, cancellationToken);
        var dryRun = DryRun.Requested(context, "DeleteOptions", options.DryRun);
        var labels = LabelSelector.Parse(QueryParameters.GetString(context.Request.Query, "labelSelector"));
        var fields = strategy.Fields.Bind(FieldSelector.Parse(QueryParameters.GetString(context.Request.Query, "fieldSelector")));
        var (items, resourceVersion) = Store.List(namespaceName);
        var selected = items.Where(item => labels.Matches(item.Value.Metadata.Labels) && fields(item.Value)).ToList();
        foreach (var item in selected.Where(_ => !dryRun))
        {
            strategy.Delete(item, options);
        }

        var body = ObjectListWriter.Render(Info.ListKind, Info.ApiVersion, selected, resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null);
        await ApiResponses.WriteJsonAsync(context, 200, body, cancellationToken);
    }

    private T ReadObject(HttpContext context, byte[] body)
    {
        var item = JsonBody.Deserialize<T>(body, Info.Kind);
        JsonBody.CheckTypeMeta(item.ApiVersion, item.Kind, Info.ApiVersion, Info.Kind);
        if (CheckFields(context, body))
        {
            item = JsonBody.Deserialize<T>(StrictDecoding.DropUnknownFields(body, Type), Info.Kind);
        }

        item.ApiVersion = Info.ApiVersion;
        item.Kind = Info.Kind;
        return item;
    }

    /// <summary>fieldValidation as the API server applies it: Strict refuses, Warn (the default) warns, Ignore says
    /// nothing. True when the body has unknown fields (to be dropped).</summary>
    private bool CheckFields(HttpContext context, byte[] body)
    {
        var errors = StrictDecoding.Find(body, Type);
        var mode = QueryParameters.GetString(context.Request.Query, "fieldValidation") ?? "Warn";
        var unknown = errors.Any(e => e.StartsWith("unknown field", StringComparison.Ordinal));
        if (errors.Count == 0 || mode is not ("Strict" or "Warn"))
        {
            return unknown;
        }

        if (mode == "Strict")
        {
            throw ApiErrors.BadRequest($"{Info.Kind} in version \"{Info.Version}\" cannot be handled as a {Info.Kind}: strict decoding error: {string.Join(", ", errors)}");
        }

        foreach (var error in errors)
        {
            ApiWarnings.Add(context, error);
        }

        return unknown;
    }

    private void SetServerMetadata(V1ObjectMeta meta)
    {
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Timestamps.Seconds(Time);
        meta.ResourceVersion = null;
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.ManagedFields = null;
        meta.SelfLink = null;
    }

    private void Validate(V1ObjectMeta meta, IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw ApiErrors.Invalid(Info.Kind, meta.Name ?? meta.GenerateName ?? string.Empty, list, Info.Group);
        }
    }

    private void CheckPreconditions(V1DeleteOptions options, StoredObject<T> current)
    {
        if (options.Preconditions?.Uid is { Length: > 0 } uid && uid != current.Uid)
        {
            throw ApiErrors.Conflict(Info.Plural, current.Key.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}", Info.Group);
        }

        var version = current.Value.Metadata.ResourceVersion;
        if (options.Preconditions?.ResourceVersion is { Length: > 0 } expected && expected != version)
        {
            throw ApiErrors.Conflict(Info.Plural, current.Key.Name, $"Precondition failed: ResourceVersion in precondition: {expected}, ResourceVersion in object meta: {version}", Info.Group);
        }
    }

    private Func<StoredObject<T>, byte[]> WatchRenderer(HttpContext context)
    {
        if (!TableWriter.IsRequested(context.Request))
        {
            return static item => item.Json;
        }

        var mode = TableWriter.ObjectMode(context.Request.Query);
        return item => TableWriter.Render(strategy.Table, [item], item.Value.Metadata.ResourceVersion, null, mode, Now());
    }

    private DateTime Now() => Time.GetUtcNow().UtcDateTime;
}
