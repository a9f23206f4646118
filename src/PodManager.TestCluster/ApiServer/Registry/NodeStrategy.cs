using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>The single node. It can be read and patched (labels, for node selectors) but not removed.</summary>
internal sealed class NodeStrategy(ClusterState cluster) : ResourceStrategy<V1Node>(cluster, cluster.Nodes)
{
    public override ResourceInfo Info { get; } = new(
        "nodes",
        "node",
        "Node",
        Namespaced: false,
        ["get", "list", "patch", "update", "watch"],
        ["no"],
        [],
        [new SubresourceInfo("status", "Node", ["get", "patch", "update"])]);

    public override FieldSet<V1Node> Fields { get; } = new(new Dictionary<string, Func<V1Node, string?>>(MetadataFields())
    {
        ["spec.unschedulable"] = item => item.Spec?.Unschedulable == true ? "true" : "false",
    });

    public override bool HasStatus => true;

    public override TableConverter<V1Node> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Status", "string", string.Empty, "The status of the node"),
            new TableColumn("Roles", "string", string.Empty, "The roles of the node"),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            new TableColumn("Version", "string", string.Empty, "Kubelet Version reported by the node."),
            new TableColumn("Internal-IP", "string", string.Empty, "List of addresses reachable to the node.", 1),
            new TableColumn("External-IP", "string", string.Empty, "List of addresses reachable to the node.", 1),
            new TableColumn("OS-Image", "string", string.Empty, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            new TableColumn("Kernel-Version", "string", string.Empty, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            new TableColumn("Container-Runtime", "string", string.Empty, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        (item, now) =>
        [
            item.Metadata.Name,
            item.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True" ? "Ready" : "NotReady",
            "control-plane",
            HumanDuration.Since(item.Metadata.CreationTimestamp, now),
            item.Status?.NodeInfo?.KubeletVersion,
            item.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "<none>",
            "<none>",
            item.Status?.NodeInfo?.OsImage,
            item.Status?.NodeInfo?.KernelVersion,
            item.Status?.NodeInfo?.ContainerRuntimeVersion,
        ]);

    public override void CopyStatus(V1Node source, V1Node target) => target.Status = source.Status;

    public override void PreserveOnUpdate(V1Node updated, V1Node current) => updated.Status = current.Status;

    public override DeleteResult Delete(StoredObject<V1Node> current, V1DeleteOptions options) => throw ApiErrors.MethodNotAllowed();
}
