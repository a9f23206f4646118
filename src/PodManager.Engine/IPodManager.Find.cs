namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>
    /// The one finder behind every cmdlet that takes pod names: exact names, wildcards, label and field selectors; with
    /// <paramref name="withManifests"/>, each pod whole as JSON too (<see cref="PodSearch.Manifests"/>).
    /// </summary>
    Task<PodSearch> FindPodsAsync(string? ns, IReadOnlyList<string>? names, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken, bool withManifests = false);
}
