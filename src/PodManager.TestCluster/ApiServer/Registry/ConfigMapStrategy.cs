using System.Text.RegularExpressions;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>ConfigMaps, which pods read through <c>env</c>, <c>envFrom</c> and volumes.</summary>
internal sealed partial class ConfigMapStrategy(ClusterState cluster) : ResourceStrategy<V1ConfigMap>(cluster, cluster.ConfigMaps)
{
    public override ResourceInfo Info { get; } = new("configmaps", "configmap", "ConfigMap", Namespaced: true, ResourceInfo.AllVerbs, ["cm"], [], []);

    public override TableConverter<V1ConfigMap> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Data", "string", string.Empty, "Data contains the configuration data."),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ],
        (item, now) => [item.Metadata.Name, (long)((item.Data?.Count ?? 0) + (item.BinaryData?.Count ?? 0)), HumanDuration.Since(item.Metadata.CreationTimestamp, now)]);

    public override IEnumerable<FieldError> ValidateCreate(V1ConfigMap item) => ValidateKeys(item.Data?.Keys, item.BinaryData?.Keys);

    public override IEnumerable<FieldError> ValidateUpdate(V1ConfigMap updated, V1ConfigMap current) => ValidateKeys(updated.Data?.Keys, updated.BinaryData?.Keys);

    /// <summary>Keys of ConfigMap and Secret data (IsConfigMapKey).</summary>
    public static IEnumerable<FieldError> ValidateKeys(IEnumerable<string>? dataKeys, IEnumerable<string>? binaryKeys, string field = "data")
    {
        foreach (var key in (dataKeys ?? []).Concat(binaryKeys ?? []))
        {
            if (key.Length > 253 || !KeyRegex().IsMatch(key))
            {
                yield return FieldError.Invalid($"{field}[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
            }

            // A key is a file name in a volume, beside the volume's own "..data" entries (hasChDirPrefix).
            var chDir = key switch
            {
                "." => "must not be '.'",
                ".." => "must not be '..'",
                _ when key.StartsWith("..", StringComparison.Ordinal) => "must not start with '..'",
                _ => null,
            };
            if (chDir is not null)
            {
                yield return FieldError.Invalid($"{field}[{key}]", key, chDir);
            }
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex KeyRegex();
}
