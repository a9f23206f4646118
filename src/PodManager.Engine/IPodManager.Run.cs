using PodManager.Engine.Running;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>The whole operator in one call: create or reattach, start, log, completion, XCom, finish action (Invoke-KPod).</summary>
    Task<PodRunOutcome> RunPodAsync(PodRunRequest request, CancellationToken cancellationToken);
}
