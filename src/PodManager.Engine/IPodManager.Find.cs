namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>The one finder behind every cmdlet that takes pod names: exact names, wildcards, label and field selectors.</summary>
    Task<PodSearch> FindPodsAsync(string? ns, IReadOnlyList<string>? names, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken);
}
