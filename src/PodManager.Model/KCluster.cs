namespace PodManager;

/// <summary>A cluster connection as Connect-KCluster reports it: which context, server and namespace the session now uses.</summary>
public sealed class KCluster
{
    public required string? Context { get; init; }

    public required string Server { get; init; }

    /// <summary>The namespace cmdlets use when not given -Namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The kubeconfig file(s), or null for in-cluster or inline kubeconfig content.</summary>
    public string? KubeConfig { get; init; }

    public bool InCluster { get; init; }

    /// <summary>The Kubernetes version the server reported (e.g. v1.32.0).</summary>
    public string? ServerVersion { get; init; }

    public required KConnection Connection { get; init; }

    public override string ToString() => $"{Context ?? "in-cluster"} ({Server}, namespace {Namespace})";
}
