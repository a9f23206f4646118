using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>
    /// The pod <see cref="CreateOrReattachAsync"/> would send for a new run (the XCom sidecar when <paramref name="xcom"/>,
    /// the name chosen, the run key's label), without sending it; with <paramref name="validate"/> the API server's
    /// answer to a dry run of its create instead, or the create's error (New-KPodManifest).
    /// </summary>
    Task<KPodManifest> GetManifestAsync(PodDescription pod, string? runKey, bool xcom, XComSidecarSettings? sidecar, bool validate, CancellationToken cancellationToken);
}
