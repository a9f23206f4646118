using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>ServiceAccounts (pkg/registry/core/serviceaccount): names are DNS subdomains, the table shows SECRETS and AGE.</summary>
internal sealed class ServiceAccountStrategy(ClusterState cluster) : ResourceStrategy<V1ServiceAccount>(cluster, cluster.ServiceAccounts)
{
    public override ResourceInfo Info { get; } = new("serviceaccounts", "serviceaccount", "ServiceAccount", Namespaced: true, ResourceInfo.AllVerbs, ["sa"], [], []);

    public override TableConverter<V1ServiceAccount> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Secrets", "string", string.Empty, "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        (item, now) => [item.Metadata.Name, (long)(item.Secrets?.Count ?? 0), HumanDuration.Since(item.Metadata.CreationTimestamp, now)]);
}
