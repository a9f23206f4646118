namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>Waits until the pod leaves Pending (the seed's await_pod_start): PodLaunchFailed or PodLaunchTimeout otherwise (Wait-KPodStart).</summary>
    Task<KPod> WaitForStartAsync(string ns, string name, TimeSpan? scheduleTimeout, TimeSpan? startupTimeout, IProgress<KPod>? progress, CancellationToken cancellationToken);
}
