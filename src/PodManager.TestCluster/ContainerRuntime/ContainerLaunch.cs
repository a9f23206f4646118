namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>The uid and gid a container runs as (runAsUser, runAsGroup).</summary>
internal sealed record ContainerUser(long Uid, long Gid)
{
    public override string ToString() => FormattableString.Invariant($"{Uid}:{Gid}");
}

/// <summary>Everything needed to start one run of a container.</summary>
internal sealed record ContainerLaunch(
    string RunDirectory,
    string Hostname,
    ContainerUser? User,
    IReadOnlyList<string> CommandLine,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string WorkingDirectory,
    IReadOnlyList<ContainerMount> Mounts);
