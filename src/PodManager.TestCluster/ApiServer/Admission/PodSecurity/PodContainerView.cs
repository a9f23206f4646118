using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>What the checks read of one container, init, regular or ephemeral alike.</summary>
internal sealed record PodContainerView(string Name, V1SecurityContext? SecurityContext, IList<V1ContainerPort>? Ports)
{
    /// <summary>Every container in the order visitContainers walks them: init containers, containers, ephemeral containers.</summary>
    public static IReadOnlyList<PodContainerView> All(V1PodSpec spec) =>
        (spec.InitContainers ?? []).Select(c => new PodContainerView(c.Name, c.SecurityContext, c.Ports))
            .Concat((spec.Containers ?? []).Select(c => new PodContainerView(c.Name, c.SecurityContext, c.Ports)))
            .Concat((spec.EphemeralContainers ?? []).Select(c => new PodContainerView(c.Name, c.SecurityContext, c.Ports)))
            .ToList();

    public static bool IsWindows(V1PodSpec spec) => spec.Os?.Name == "windows";
}
