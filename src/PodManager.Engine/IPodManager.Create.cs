using PodManager.Engine.Pods;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>Builds a pod with one <c>base</c> container from <paramref name="options"/> and creates it (idempotent, as every create).</summary>
    Task<KPod> CreatePodAsync(PodBuildOptions options, CancellationToken cancellationToken);
}
