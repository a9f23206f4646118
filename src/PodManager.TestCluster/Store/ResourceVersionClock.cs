namespace PodManager.TestCluster.Store;

/// <summary>One counter for every write in the cluster, like the etcd revision behind resourceVersion.</summary>
internal sealed class ResourceVersionClock
{
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    public long Next() => Interlocked.Increment(ref _current);
}
