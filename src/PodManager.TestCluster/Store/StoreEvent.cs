using k8s;
using k8s.Models;

namespace PodManager.TestCluster.Store;

internal enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One committed change. <see cref="Previous"/> is the state before a modification, so watchers with
/// selectors can turn transitions into ADDED or DELETED.</summary>
internal sealed record StoreEvent<T>(StoreEventType Type, StoredObject<T> Object, StoredObject<T>? Previous)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public long ResourceVersion => Object.ResourceVersion;
}
