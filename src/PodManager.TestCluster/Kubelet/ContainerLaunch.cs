namespace PodManager.TestCluster.Kubelet;

/// <summary>Everything needed to start one run of a container.</summary>
internal sealed record ContainerLaunch(
    string RunDirectory,
    string Hostname,
    IReadOnlyList<string> CommandLine,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string WorkingDirectory,
    IReadOnlyList<ContainerMount> Mounts);
