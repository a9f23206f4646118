namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>The kinds of resource names of pkg/apis/core/helper: standard container resources, native
/// (<c>kubernetes.io/</c>) ones, and extended resources such as <c>nvidia.com/gpu</c>, which are whole numbers and
/// cannot be overcommitted.</summary>
internal static class ResourceNames
{
    private static readonly string[] StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    /// <summary>cpu, memory, ephemeral-storage and hugepages-*.</summary>
    public static bool IsStandardContainer(string name) =>
        StandardContainerResources.Contains(name) || name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary>Unqualified names and those in the kubernetes.io domain.</summary>
    public static bool IsNative(string name) =>
        !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    /// <summary>IsExtendedResourceName: not native, not a quota name, and <c>requests.NAME</c> is a qualified name.</summary>
    public static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal) && NameRules.QualifiedName("requests." + name).Count == 0;

    /// <summary>Only the standard resources may be requested below their limit.</summary>
    public static bool IsOvercommitAllowed(string name) => IsNative(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary>Extended resources are whole numbers.</summary>
    public static bool IsInteger(string name) => IsExtended(name);
}
