using k8s.Models;

namespace PodManager.TestCluster.Store;

/// <summary>Every stored object of the cluster, all versioned by one clock.</summary>
internal sealed class ClusterState
{
    public ClusterState(TimeProvider time, int watchHistoryLimit)
    {
        Time = time;
        Pods = new(Clock, watchHistoryLimit);
        Namespaces = new(Clock, watchHistoryLimit);
        Events = new(Clock, watchHistoryLimit);
        Nodes = new(Clock, watchHistoryLimit);
        ConfigMaps = new(Clock, watchHistoryLimit);
        Secrets = new(Clock, watchHistoryLimit);
        PersistentVolumeClaims = new(Clock, watchHistoryLimit);
        Roles = new(Clock, watchHistoryLimit);
        ClusterRoles = new(Clock, watchHistoryLimit);
        RoleBindings = new(Clock, watchHistoryLimit);
        ClusterRoleBindings = new(Clock, watchHistoryLimit);
        ServiceAccounts = new(Clock, watchHistoryLimit);
    }

    public TimeProvider Time { get; }

    public ResourceVersionClock Clock { get; } = new();

    public ResourceStore<V1Pod> Pods { get; }

    public ResourceStore<V1Namespace> Namespaces { get; }

    public ResourceStore<Corev1Event> Events { get; }

    public ResourceStore<V1Node> Nodes { get; }

    public ResourceStore<V1ConfigMap> ConfigMaps { get; }

    public ResourceStore<V1Secret> Secrets { get; }

    public ResourceStore<V1PersistentVolumeClaim> PersistentVolumeClaims { get; }

    public ResourceStore<V1Role> Roles { get; }

    public ResourceStore<V1ClusterRole> ClusterRoles { get; }

    public ResourceStore<V1RoleBinding> RoleBindings { get; }

    public ResourceStore<V1ClusterRoleBinding> ClusterRoleBindings { get; }

    public ResourceStore<V1ServiceAccount> ServiceAccounts { get; }
}
