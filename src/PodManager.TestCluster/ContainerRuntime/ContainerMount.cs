namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>A host file or directory bind-mounted into a container at <see cref="Target"/>.</summary>
internal sealed record ContainerMount(string Source, string Target, bool ReadOnly, bool IsFile = false);
