using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Scheduler;

/// <summary>The VolumeBinding plugin's PreFilter: every claim of the pod's <c>persistentVolumeClaim</c> volumes must
/// exist, not be being deleted, and be bound (claims bind when they are created, unless they name a volume).</summary>
internal static class VolumeBinding
{
    /// <summary>Null when the pod's claims are ready, else the scheduler's message, e.g. <c>persistentvolumeclaim "data" not found</c>.</summary>
    public static string? PreFilter(ClusterState cluster, V1Pod pod)
    {
        var unbound = false;
        foreach (var source in (pod.Spec.Volumes ?? []).Select(v => v.PersistentVolumeClaim).OfType<V1PersistentVolumeClaimVolumeSource>())
        {
            var claim = cluster.PersistentVolumeClaims.Get(new ObjectKey(pod.Metadata.NamespaceProperty, source.ClaimName))?.Value;
            if (claim is null)
            {
                return $"persistentvolumeclaim \"{source.ClaimName}\" not found";
            }

            if (claim.Metadata.DeletionTimestamp is not null)
            {
                return $"persistentvolumeclaim \"{source.ClaimName}\" is being deleted";
            }

            unbound |= claim.Status?.Phase != "Bound";
        }

        return unbound ? "pod has unbound immediate PersistentVolumeClaims" : null;
    }
}
