using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Controllers;

/// <summary>
/// What the persistent volume controller and a local-path provisioner do together, at once: a new claim that names
/// no volume is bound to a volume <c>pvc-&lt;claim uid&gt;</c>, a directory the kubelet creates under the cluster's
/// work directory when a pod first mounts it (see <see cref="VolumePath"/>). A claim that names a volume stays
/// <c>Pending</c>, as there are no PersistentVolume objects. The directory is kept until the cluster stops.
/// </summary>
internal sealed class PersistentVolumeBinder(ClusterState cluster) : Controller
{
    /// <summary>Where the volume a claim is bound to keeps its data.</summary>
    public static string VolumePath(string volumesDirectory, V1PersistentVolumeClaim claim) =>
        Path.Combine(volumesDirectory, "pvc-" + claim.Metadata.Uid);

    public override void Start()
    {
        var claims = cluster.PersistentVolumeClaims.Watch(null, null, int.MaxValue);
        Run(async cancellationToken =>
        {
            using (claims)
            {
                await foreach (var change in claims.Events.ReadAllAsync(cancellationToken))
                {
                    if (change.Type != StoreEventType.Deleted && NeedsBinding(change.Object.Value))
                    {
                        Bind(change.Object);
                    }
                }
            }
        });
    }

    private static bool NeedsBinding(V1PersistentVolumeClaim claim) =>
        string.IsNullOrEmpty(claim.Spec.VolumeName) && claim.Metadata.DeletionTimestamp is null && claim.Status?.Phase != "Bound";

    private void Bind(StoredObject<V1PersistentVolumeClaim> stored) =>
        cluster.PersistentVolumeClaims.Mutate(stored.Key, claim =>
        {
            if (claim.Metadata.Uid != stored.Uid || !NeedsBinding(claim))
            {
                return false;
            }

            claim.Spec.VolumeName = "pvc-" + claim.Metadata.Uid;
            claim.Metadata.Annotations ??= new Dictionary<string, string>();
            claim.Metadata.Annotations["pv.kubernetes.io/bind-completed"] = "yes";
            claim.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            claim.Status = new V1PersistentVolumeClaimStatus
            {
                Phase = "Bound",
                AccessModes = claim.Spec.AccessModes,
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = claim.Spec.Resources.Requests["storage"] },
            };
            return true;
        });
}
