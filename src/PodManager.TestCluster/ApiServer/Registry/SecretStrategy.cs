using System.Text;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>Secrets: <c>stringData</c> is folded into <c>data</c> on write, the type defaults to Opaque.</summary>
internal sealed class SecretStrategy(ClusterState cluster) : ResourceStrategy<V1Secret>(cluster, cluster.Secrets)
{
    public override ResourceInfo Info { get; } = new("secrets", "secret", "Secret", Namespaced: true, ResourceInfo.AllVerbs, [], [], []);

    public override FieldSet<V1Secret> Fields { get; } = new(new Dictionary<string, Func<V1Secret, string?>>(MetadataFields())
    {
        ["type"] = item => item.Type,
    });

    public override TableConverter<V1Secret> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Type", "string", string.Empty, "The type of the secret"),
            new TableColumn("Data", "string", string.Empty, "The number of entries in the secret"),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        (item, now) => [item.Metadata.Name, item.Type, (long)(item.Data?.Count ?? 0), HumanDuration.Since(item.Metadata.CreationTimestamp, now)]);

    public override IEnumerable<FieldError> ValidateCreate(V1Secret item) => ConfigMapStrategy.ValidateKeys(item.Data?.Keys, item.StringData?.Keys);

    public override IEnumerable<FieldError> ValidateUpdate(V1Secret updated, V1Secret current) => ConfigMapStrategy.ValidateKeys(updated.Data?.Keys, updated.StringData?.Keys);

    public override void ApplyDefaults(V1Secret item)
    {
        item.Type ??= "Opaque";
        FoldStringData(item);
    }

    public override void PreserveOnUpdate(V1Secret updated, V1Secret current) => FoldStringData(updated);

    private static void FoldStringData(V1Secret item)
    {
        if (item.StringData is null)
        {
            return;
        }

        item.Data ??= new Dictionary<string, byte[]>();
        foreach (var (key, value) in item.StringData)
        {
            item.Data[key] = Encoding.UTF8.GetBytes(value ?? string.Empty);
        }

        item.StringData = null;
    }
}
