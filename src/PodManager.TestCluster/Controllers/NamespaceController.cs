using k8s;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Registry.Pods;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Controllers;

/// <summary>
/// Empties namespaces that are being deleted: pods are deleted gracefully, other content at once, and the
/// namespace itself goes when no pod is left.
/// </summary>
internal sealed class NamespaceController(ClusterState cluster) : Controller
{
    public override void Start()
    {
        var namespaces = cluster.Namespaces.Watch(null, null, int.MaxValue);
        var pods = cluster.Pods.Watch(null, null, int.MaxValue);
        Run(cancellationToken => RunAsync(namespaces, pods, cancellationToken));
    }

    private async Task RunAsync(WatchSubscription<V1Namespace> namespaces, WatchSubscription<V1Pod> pods, CancellationToken cancellationToken)
    {
        using (namespaces)
        using (pods)
        {
            while (true)
            {
                await Task.WhenAny(namespaces.Events.WaitToReadAsync(cancellationToken).AsTask(), pods.Events.WaitToReadAsync(cancellationToken).AsTask());
                cancellationToken.ThrowIfCancellationRequested();
                var relevant = Drain(namespaces) | Drain(pods);
                if (relevant)
                {
                    Reconcile();
                }
            }
        }
    }

    private static bool Drain<T>(WatchSubscription<T> subscription)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var any = false;
        while (subscription.Events.TryRead(out _))
        {
            any = true;
        }

        return any;
    }

    private void Reconcile()
    {
        foreach (var terminating in cluster.Namespaces.List(null).Items.Where(n => n.Value.Metadata.DeletionTimestamp is not null))
        {
            var name = terminating.Key.Name;
            var pods = cluster.Pods.List(name).Items;
            foreach (var pod in pods.Where(p => p.Value.Metadata.DeletionTimestamp is null))
            {
                PodDeletion.Delete(cluster, pod, null);
            }

            DeleteAll(cluster.ConfigMaps, name);
            DeleteAll(cluster.Secrets, name);
            DeleteAll(cluster.PersistentVolumeClaims, name);
            DeleteAll(cluster.ServiceAccounts, name);
            DeleteAll(cluster.Events, name);
            DeleteAll(cluster.Roles, name);
            DeleteAll(cluster.RoleBindings, name);
            if (cluster.Pods.List(name).Items.Count == 0)
            {
                cluster.Namespaces.Delete(terminating.Key, stored => stored.Uid == terminating.Uid);
            }
        }
    }

    private static void DeleteAll<T>(ResourceStore<T> store, string namespaceName)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        foreach (var item in store.List(namespaceName).Items)
        {
            store.Delete(item.Key);
        }
    }
}
