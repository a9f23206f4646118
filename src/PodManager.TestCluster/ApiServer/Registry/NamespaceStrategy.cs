using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Controllers;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>Namespaces: DNS-1123 label names, <c>Active</c> until deleted, then <c>Terminating</c> while the
/// <see cref="NamespaceController"/> empties them.</summary>
internal sealed class NamespaceStrategy(ClusterState cluster) : ResourceStrategy<V1Namespace>(cluster, cluster.Namespaces)
{
    private static readonly HashSet<string> Protected = ["default", "kube-system", "kube-public"];

    public override ResourceInfo Info { get; } = new(
        "namespaces",
        "namespace",
        "Namespace",
        Namespaced: false,
        ["create", "delete", "get", "list", "patch", "update", "watch"],
        ["ns"],
        [],
        [new SubresourceInfo("status", "Namespace", ["get", "patch", "update"])]);

    public override FieldSet<V1Namespace> Fields { get; } = new(new Dictionary<string, Func<V1Namespace, string?>>(MetadataFields())
    {
        ["status.phase"] = item => item.Status?.Phase,
    });

    public override Func<string, IReadOnlyList<string>> NameRule => NameRules.Dns1123Label;

    public override bool HasStatus => true;

    public override TableConverter<V1Namespace> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Status", "string", string.Empty, "The status of the namespace"),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        (item, now) => [item.Metadata.Name, item.Status?.Phase, HumanDuration.Since(item.Metadata.CreationTimestamp, now)]);

    public override void ApplyDefaults(V1Namespace item)
    {
        item.Metadata.Labels ??= new Dictionary<string, string>();
        item.Metadata.Labels["kubernetes.io/metadata.name"] = item.Metadata.Name;
        item.Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] };
        item.Status = new V1NamespaceStatus { Phase = "Active" };
    }

    public override void CopyStatus(V1Namespace source, V1Namespace target) => target.Status = source.Status;

    public override void PreserveOnUpdate(V1Namespace updated, V1Namespace current)
    {
        updated.Status = current.Status;
        updated.Metadata.Labels ??= new Dictionary<string, string>();
        updated.Metadata.Labels["kubernetes.io/metadata.name"] = current.Metadata.Name;
    }

    /// <summary>Marks the namespace Terminating; the controller removes its content and then the namespace.</summary>
    public override DeleteResult Delete(StoredObject<V1Namespace> current, V1DeleteOptions options)
    {
        if (Protected.Contains(current.Key.Name))
        {
            throw new ApiException(new ApiStatus(
                403,
                "Forbidden",
                $"namespaces \"{current.Key.Name}\" is forbidden: this namespace may not be deleted",
                new StatusDetails(current.Key.Name, "namespaces")));
        }

        var now = Timestamps.Seconds(Cluster.Time);
        var terminating = Store.Mutate(current.Key, ns =>
        {
            if (ns.Metadata.DeletionTimestamp is not null)
            {
                return false;
            }

            ns.Metadata.DeletionTimestamp = now;
            ns.Metadata.DeletionGracePeriodSeconds = 0;
            ns.Status = new V1NamespaceStatus { Phase = "Terminating" };
            return true;
        }) ?? throw ApiErrors.NotFound(Info.Plural, current.Key.Name);
        return new DeleteResult(200, terminating.Json);
    }
}
