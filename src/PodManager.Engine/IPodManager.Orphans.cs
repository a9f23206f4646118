using PodManager.Engine.Orphans;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>
    /// The pods of <paramref name="ns"/> that PodManager made and whose runner is gone (Airflow's cleanup of pods whose
    /// worker died): on this host, a runner process that no longer runs; elsewhere (where liveness cannot be checked),
    /// a pod older than <paramref name="olderThan"/>. Pods kept on purpose (-OnFinishAction KeepPod) are left out.
    /// </summary>
    Task<IReadOnlyList<OrphanedPod>> FindOrphanedPodsAsync(string ns, TimeSpan olderThan, bool ageAppliesToThisHost, CancellationToken cancellationToken);
}
