using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Admission;

/// <summary>
/// The NamespaceLifecycle admission plugin (plugin/pkg/admission/namespace/lifecycle): a namespaced object can only
/// be created in a namespace that exists (404 otherwise) and is not being deleted (403 while it terminates).
/// </summary>
internal static class NamespaceLifecycle
{
    public static void Admit(ClusterState cluster, string namespaceName, string resource, string name)
    {
        var stored = cluster.Namespaces.Get(new ObjectKey(string.Empty, namespaceName))
            ?? throw ApiErrors.NotFound("namespaces", namespaceName);
        if (stored.Value.Metadata.DeletionTimestamp is not null)
        {
            throw ApiErrors.NamespaceTerminating(resource, name, namespaceName);
        }
    }
}
