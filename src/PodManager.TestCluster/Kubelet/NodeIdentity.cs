using System.Globalization;
using k8s.Models;

namespace PodManager.TestCluster.Kubelet;

/// <summary>The single node as the kubelet registers it: its name, address, capacity, labels, taints and extended
/// resources, and the pod IPs it hands out. The scheduler reads the registered Node object, so labels and taints
/// changed later through the API (<c>kubectl label</c>, <c>kubectl taint</c>) count as well.</summary>
internal sealed class NodeIdentity
{
    private readonly IReadOnlyDictionary<string, string> extraLabels;
    private readonly IReadOnlyList<V1Taint> taints;
    private readonly IReadOnlyDictionary<string, decimal> extendedResources;
    private int nextPodIp;

    /// <exception cref="ArgumentException">A label, taint or extended resource of the options is invalid.</exception>
    public NodeIdentity(TestClusterOptions options)
    {
        Name = options.NodeName;
        Cpu = new ResourceQuantity(options.NodeCpu).ToDecimal();
        MemoryBytes = new ResourceQuantity(options.NodeMemory).ToDecimal();
        Pods = options.NodePods;
        (extraLabels, taints, extendedResources) = NodeRegistration.From(options);
    }

    public string Name { get; }

    public string HostIp => "127.0.0.1";

    public decimal Cpu { get; }

    public decimal MemoryBytes { get; }

    public int Pods { get; }

    public Dictionary<string, string> Labels
    {
        get
        {
            var labels = new Dictionary<string, string>
            {
                ["kubernetes.io/arch"] = "amd64",
                ["kubernetes.io/hostname"] = Name,
                ["kubernetes.io/os"] = "linux",
                ["node-role.kubernetes.io/control-plane"] = string.Empty,
            };
            foreach (var (key, value) in extraLabels)
            {
                labels[key] = value;
            }

            return labels;
        }
    }

    public decimal Allocatable(string resource) => resource switch
    {
        "cpu" => Cpu,
        "memory" => MemoryBytes,
        "pods" => Pods,
        _ => extendedResources.GetValueOrDefault(resource),
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
        Spec = new V1NodeSpec { PodCIDR = "10.244.0.0/16", PodCIDRs = ["10.244.0.0/16"], Taints = taints.Count == 0 ? null : taints.ToList() },
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

    private Dictionary<string, ResourceQuantity> Resources()
    {
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new ResourceQuantity(Cpu.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new ResourceQuantity(((long)(MemoryBytes / 1024)).ToString(CultureInfo.InvariantCulture) + "Ki"),
            ["pods"] = new ResourceQuantity(Pods.ToString(CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new ResourceQuantity("100Gi"),
        };
        foreach (var (name, count) in extendedResources)
        {
            resources[name] = new ResourceQuantity(NodeRegistration.Format(count));
        }

        return resources;
    }

    private static V1NodeCondition NodeCondition(string type, string status, string reason, string message, DateTime now) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = now, LastTransitionTime = now };
}
