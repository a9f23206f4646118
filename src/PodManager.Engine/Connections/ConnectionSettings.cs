namespace PodManager.Engine.Connections;

/// <summary>How the caller asked to reach a cluster; unset fields fall back like kubectl does.</summary>
public sealed record ConnectionSettings
{
    /// <summary>An explicit kubeconfig file; otherwise <c>KUBECONFIG</c> (several files merged), then <c>~/.kube/config</c>.</summary>
    public string? KubeConfigPath { get; init; }

    /// <summary>Kubeconfig text, e.g. from a runbook's secret store; never written to disk.</summary>
    public string? KubeConfigContent { get; init; }

    /// <summary>A kubeconfig context; otherwise the file's current-context.</summary>
    public string? Context { get; init; }

    /// <summary>Use the pod's service account (the in-cluster configuration).</summary>
    public bool InCluster { get; init; }
}
