namespace PodManager.Engine;

/// <summary>
/// The engine as the cmdlets and completers see it: every member of <see cref="PodManager"/> whose signature uses
/// only model, BCL and the engine's own request and result types, never a KubernetesClient type. The cmdlets load
/// outside the engine's load context and cannot compile against KubernetesClient, so this interface is the whole
/// of what they may call; <see cref="PodManagerRegistry"/> hands it out. Split by concern like the class
/// (<c>IPodManager.Logs.cs</c> beside <c>PodManager.Logs.cs</c>), as KubernetesClient pairs <c>IKubernetes.Exec.cs</c>
/// with <c>Kubernetes.Exec.cs</c>. The Airflow-named members that take or return <c>V1Pod</c> stay on the class only.
/// </summary>
public partial interface IPodManager
{
    /// <summary>The cluster, context and default namespace this engine talks to; every KPod it returns carries it.</summary>
    KConnection Connection { get; }

    PodManagerOptions Options { get; }

    /// <summary>Watch requests made by this engine's shared watches; one per namespace plus one per reconnect.</summary>
    int WatchRequestCount { get; }

    /// <summary>The namespace given, else the connection's default.</summary>
    string ResolveNamespace(string? ns);

    /// <summary>The pod's current state; PodNotFound when there is no such pod.</summary>
    Task<KPod> GetPodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Deletes a pod, optionally waiting until it is gone; a pod that is already gone is not an error (returns false).</summary>
    Task<bool> DeletePodAsync(string ns, string name, int? gracePeriodSeconds, bool wait, TimeSpan? timeout, CancellationToken cancellationToken);
}
