using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>
/// Graceful pod deletion (podStrategy.CheckGracefulDelete): the grace period comes from the request, else the
/// spec; it is 0 for an unscheduled or finished pod. With 0 the pod goes at once; otherwise it gets a
/// deletionTimestamp and the kubelet stops it and removes it. A later delete can only shorten the grace period.
/// </summary>
internal static class PodDeletion
{
    /// <summary>Deletes or starts deleting the pod; returns the pod as the API answers it, or null when it is gone.</summary>
    public static StoredObject<V1Pod>? Delete(ClusterState cluster, StoredObject<V1Pod> current, long? requestedGracePeriod)
    {
        var pod = current.Value;
        var grace = requestedGracePeriod ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
        if (string.IsNullOrEmpty(pod.Spec.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            grace = 0;
        }

        if (grace < 0)
        {
            grace = 1;
        }

        if (grace == 0)
        {
            return cluster.Pods.Delete(current.Key, stored => stored.Uid == current.Uid);
        }

        var deadline = Timestamps.Seconds(cluster.Time.GetUtcNow().AddSeconds(grace));
        return cluster.Pods.Mutate(current.Key, next =>
        {
            if (next.Metadata.Uid != current.Uid || next.Metadata.DeletionGracePeriodSeconds <= grace)
            {
                return false;
            }

            next.Metadata.DeletionTimestamp = deadline;
            next.Metadata.DeletionGracePeriodSeconds = grace;
            return true;
        });
    }
}
