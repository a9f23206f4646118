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

    /// <summary>An API server's URL, with <see cref="Token"/>: a connection without any kubeconfig (a runbook with a token from a vault).</summary>
    public string? Server { get; init; }

    /// <summary>The bearer token for <see cref="Server"/>; never written anywhere.</summary>
    public string? Token { get; init; }

    /// <summary>The CA that signed <see cref="Server"/>'s certificate: a PEM file's path or PEM text; null trusts the system's CAs.</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>Says where the connection goes, never the token.</summary>
    public override string ToString() =>
        Server is not null ? $"server {Server}" : InCluster ? "in-cluster" : $"kubeconfig {KubeConfigPath ?? (KubeConfigContent is null ? "(default)" : "(content)")}, context {Context ?? "(current)"}";
}
