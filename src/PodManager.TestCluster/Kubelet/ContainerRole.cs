namespace PodManager.TestCluster.Kubelet;

internal enum ContainerRole
{
    /// <summary>An init container that runs to completion before the next one starts.</summary>
    Init,

    /// <summary>A native sidecar: an init container with <c>restartPolicy: Always</c> that keeps running.</summary>
    Sidecar,

    /// <summary>A regular container.</summary>
    Regular,
}
