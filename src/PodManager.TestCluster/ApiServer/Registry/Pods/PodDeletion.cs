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
        var grace = GracePeriod(current.Value, requestedGracePeriod);
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

    /// <summary>The pod as a delete would answer it (dryRun): with deletionTimestamp when the deletion would be graceful.</summary>
    public static byte[] Preview(ClusterState cluster, StoredObject<V1Pod> current, long? requestedGracePeriod)
    {
        var grace = GracePeriod(current.Value, requestedGracePeriod);
        if (grace == 0 || current.Value.Metadata.DeletionGracePeriodSeconds <= grace)
        {
            return current.Json;
        }

        var pod = current.Clone();
        pod.Metadata.DeletionTimestamp = Timestamps.Seconds(cluster.Time.GetUtcNow().AddSeconds(grace));
        pod.Metadata.DeletionGracePeriodSeconds = grace;
        return System.Text.Encoding.UTF8.GetBytes(k8s.KubernetesJson.Serialize(pod));
    }

    private static long GracePeriod(V1Pod pod, long? requestedGracePeriod)
    {
        var grace = requestedGracePeriod ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
        if (string.IsNullOrEmpty(pod.Spec.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            grace = 0;
        }

        return grace < 0 ? 1 : grace;
    }
}
