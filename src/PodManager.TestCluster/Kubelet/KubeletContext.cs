using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>What every pod worker of the node shares.</summary>
internal sealed record KubeletContext(
    ClusterState Cluster,
    NodeIdentity Node,
    EventRecorder Events,
    ImagePuller Images,
    ContainerEnvironment Environment,
    BackOffPolicy BackOff,
    string PodsDirectory,
    string PersistentVolumesDirectory,
    ShellShim? Shell,
    ProcessLauncher Launcher)
{
    public TimeProvider Time => Cluster.Time;
}
