using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>The answer to a DELETE: the status code and body.</summary>
internal sealed record DeleteResult(int StatusCode, byte[] Json);

/// <summary>
/// What is specific to one kind: its names, validation, defaults, field selectors, deletion and table columns.
/// The API server calls this a strategy (<c>rest.RESTCreateStrategy</c>, <c>RESTUpdateStrategy</c> and
/// <c>RESTDeleteStrategy</c> in k8s.io/apiserver, implemented per kind as in pkg/registry/core/pod/strategy.go);
/// <see cref="ResourceApi{T}"/> does the REST mechanics around it.
/// </summary>
internal abstract class ResourceStrategy<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    protected ResourceStrategy(ClusterState cluster, ResourceStore<T> store)
    {
        Cluster = cluster;
        Store = store;
    }

    public ClusterState Cluster { get; }

    public ResourceStore<T> Store { get; }

    public abstract ResourceInfo Info { get; }

    public virtual FieldSet<T> Fields { get; } = new(MetadataFields());

    public virtual Func<string, IReadOnlyList<string>> NameRule => NameRules.Dns1123Subdomain;

    /// <summary>Table columns for <c>kubectl get</c>, or null to fall back to NAME and AGE.</summary>
    public virtual TableConverter<T>? Table => null;

    /// <summary>The kind's mutating admission plugins on a create, before the name is generated and the object validated;
    /// <paramref name="name"/> is how an admission error names the object (its name, else its generateName).</summary>
    public virtual void AdmitCreate(T item, string name)
    {
    }

    /// <summary>Checks a new object whose metadata is complete; errors become a 422 Invalid.</summary>
    public virtual IEnumerable<FieldError> ValidateCreate(T item) => [];

    /// <summary>Fills server defaults and initial status on a new object.</summary>
    public virtual void ApplyDefaults(T item)
    {
    }

    /// <summary>Checks an update against the current version; errors become a 422 Invalid.</summary>
    public virtual IEnumerable<FieldError> ValidateUpdate(T updated, T current) => [];

    /// <summary>True when the kind has a <c>status</c> subresource.</summary>
    public virtual bool HasStatus => false;

    /// <summary>Copies the status of <paramref name="source"/> onto <paramref name="target"/> (the status subresource).</summary>
    public virtual void CopyStatus(T source, T target)
    {
    }

    /// <summary>Carries over what a client may not change through the main resource (status, for most kinds).</summary>
    public virtual void PreserveOnUpdate(T updated, T current)
    {
    }

    /// <summary>Deletes an object; by default at once, answered with a Success Status.</summary>
    public virtual DeleteResult Delete(StoredObject<T> current, V1DeleteOptions options)
    {
        var deleted = Store.Delete(current.Key, stored => stored.Uid == current.Uid) ?? throw ApiErrors.NotFound(Info.Plural, current.Key.Name);
        return new DeleteResult(200, new ApiStatus(200, string.Empty, string.Empty, new StatusDetails(deleted.Key.Name, Info.Plural, deleted.Uid)).ToJson());
    }

    /// <summary>What <see cref="Delete"/> would answer, without deleting anything (dryRun).</summary>
    public virtual DeleteResult PreviewDelete(StoredObject<T> current, V1DeleteOptions options) =>
        new(200, new ApiStatus(200, string.Empty, string.Empty, new StatusDetails(current.Key.Name, Info.Plural, current.Uid)).ToJson());

    /// <summary>Serves <c>{name}/{subresource}</c>; the base kind has none.</summary>
    public virtual Task HandleSubresourceAsync(HttpContext context, ObjectKey key, string subresource, CancellationToken cancellationToken) =>
        throw ApiErrors.PathNotFound();

    protected static Dictionary<string, Func<T, string?>> MetadataFields() => new()
    {
        ["metadata.name"] = item => item.Metadata.Name,
        ["metadata.namespace"] = item => item.Metadata.NamespaceProperty,
    };
}
