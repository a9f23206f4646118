using k8s.Models;
using PodManager.TestCluster.ApiServer.Admission.PodSecurity;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Admission;

/// <summary>
/// The validating admission plugins a create or update passes after validation: PodSecurity (pods and namespaces).
/// NamespaceLifecycle, a mutating plugin, runs before validation, in the create handler. A plugin refuses by throwing
/// the Status; warnings go to the response. A dry run is admitted like a real request.
/// </summary>
internal static class AdmissionChain
{
    public static void Admit(HttpContext context, ClusterState cluster, ResourceInfo resource, string? namespaceName, string name, object item, object? old)
    {
        IReadOnlyList<string> warnings = [];
        switch (item)
        {
            case V1Pod pod when resource.Group.Length == 0:
                warnings = PodSecurityAdmission.AdmitPod(cluster, namespaceName!, pod, old as V1Pod);
                break;
            case V1Namespace ns when resource.Group.Length == 0:
                PodSecurityAdmission.AdmitNamespace(ns, old as V1Namespace);
                break;
        }

        foreach (var warning in warnings)
        {
            ApiWarnings.Add(context, warning);
        }
    }
}
