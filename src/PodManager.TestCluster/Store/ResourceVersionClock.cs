namespace PodManager.TestCluster.Store;

/// <summary>One counter for every write in the cluster, like the etcd revision behind resourceVersion.</summary>
internal sealed class ResourceVersionClock
{
    private long current;

    public long Current => Interlocked.Read(ref current);

    public long Next() => Interlocked.Increment(ref current);
}
