using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>
    /// Creates the pod (with the XCom sidecar when <paramref name="xcom"/>), or reattaches to a live pod of
    /// <paramref name="runKey"/> (the operator's get_or_create_pod); a create cut short leaves no pod (New-KPod).
    /// </summary>
    Task<CreatedPod<KPod>> CreateOrReattachAsync(PodDescription pod, string? runKey, bool xcom, CancellationToken cancellationToken, XComSidecarSettings? sidecar = null);
}
