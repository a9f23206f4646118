using System.Globalization;
using k8s.Models;

namespace PodManager.TestCluster.Kubelet;

/// <summary>The single node: its name, address, capacity and labels, and the pod IPs it hands out.</summary>
internal sealed class NodeIdentity(string name, decimal cpu, decimal memoryBytes, int pods)
{
    private int nextPodIp;

    public string Name { get; } = name;

    public string HostIp => "127.0.0.1";

    public decimal Cpu { get; } = cpu;

    public decimal MemoryBytes { get; } = memoryBytes;

    public int Pods { get; } = pods;

    public Dictionary<string, string> Labels => new()
    {
        ["kubernetes.io/arch"] = "amd64",
        ["kubernetes.io/hostname"] = Name,
        ["kubernetes.io/os"] = "linux",
        ["node-role.kubernetes.io/control-plane"] = string.Empty,
    };

    public decimal Allocatable(string resource) => resource switch
    {
        "cpu" => Cpu,
        "memory" => MemoryBytes,
        "pods" => Pods,
        _ => 0m,
    };

    /// <summary>The next address of the node's pod range 10.244.0.0/16.</summary>
    public string NextPodIp()
    {
        var n = Interlocked.Increment(ref nextPodIp);
        return $"10.244.{n / 254 % 256}.{(n % 254) + 1}";
    }

    public V1Node ToNode(DateTime now, string kernelVersion) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            Uid = Guid.NewGuid().ToString(),
            CreationTimestamp = now,
            Labels = Labels,
            Annotations = new Dictionary<string, string> { ["node.alpha.kubernetes.io/ttl"] = "0" },
        },
        Spec = new V1NodeSpec { PodCIDR = "10.244.0.0/16", PodCIDRs = ["10.244.0.0/16"] },
        Status = new V1NodeStatus
        {
            Capacity = Resources(),
            Allocatable = Resources(),
            Addresses = [new V1NodeAddress { Address = HostIp, Type = "InternalIP" }, new V1NodeAddress { Address = Name, Type = "Hostname" }],
            Conditions =
            [
                NodeCondition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                NodeCondition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                NodeCondition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                NodeCondition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                BootID = Guid.NewGuid().ToString(),
                ContainerRuntimeVersion = "containerd://1.7.22",
                KernelVersion = kernelVersion,
                KubeProxyVersion = string.Empty,
                KubeletVersion = "v1.32.0",
                MachineID = Guid.NewGuid().ToString("N"),
                OperatingSystem = "linux",
                OsImage = "PodManager test cluster",
                SystemUUID = Guid.NewGuid().ToString(),
            },
        },
    };

    private Dictionary<string, ResourceQuantity> Resources() => new()
    {
        ["cpu"] = new ResourceQuantity(Cpu.ToString(CultureInfo.InvariantCulture)),
        ["memory"] = new ResourceQuantity(((long)(MemoryBytes / 1024)).ToString(CultureInfo.InvariantCulture) + "Ki"),
        ["pods"] = new ResourceQuantity(Pods.ToString(CultureInfo.InvariantCulture)),
        ["ephemeral-storage"] = new ResourceQuantity("100Gi"),
    };

    private static V1NodeCondition NodeCondition(string type, string status, string reason, string message, DateTime now) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = now, LastTransitionTime = now };
}
