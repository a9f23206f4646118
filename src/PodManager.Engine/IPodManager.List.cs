namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>The pods of a namespace (or of all, when <paramref name="ns"/> is null) that match the selectors.</summary>
    Task<IReadOnlyList<KPod>> ListPodsAsync(string? ns, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken);

    /// <summary>The server's version; also proves the connection and credentials work (Connect-KCluster).</summary>
    Task<string> GetServerVersionAsync(CancellationToken cancellationToken);
}
