namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>How a kubeconfig user proves who it is.</summary>
internal enum CredentialKind
{
    /// <summary>A token in the kubeconfig that never expires.</summary>
    StaticToken,

    /// <summary>A token in the kubeconfig that expires after the token lifetime.</summary>
    ExpiringToken,

    /// <summary>A <c>tokenFile</c> the cluster rotates.</summary>
    TokenFile,

    /// <summary>An exec credential plugin.</summary>
    ExecPlugin,
}

internal sealed record ClusterUser(UserInfo Info, CredentialKind Credential);

/// <summary>The users of the cluster's kubeconfig, one per context of <see cref="TestClusterContexts"/>; what
/// each may do is bound in the bootstrap policy.</summary>
internal static class ClusterUsers
{
    public static IReadOnlyList<ClusterUser> All { get; } =
    [
        new(UserInfo.Create(TestClusterContexts.Admin, [UserInfo.Masters]), CredentialKind.StaticToken),
        new(UserInfo.Create(TestClusterContexts.ReadOnly), CredentialKind.StaticToken),
        new(UserInfo.Create(TestClusterContexts.PodManager), CredentialKind.StaticToken),
        new(UserInfo.Create(TestClusterContexts.NoList), CredentialKind.StaticToken),
        new(UserInfo.Create(TestClusterContexts.Expiring), CredentialKind.ExpiringToken),
        new(UserInfo.Create(TestClusterContexts.TokenFile), CredentialKind.TokenFile),
        new(UserInfo.Create(TestClusterContexts.Exec), CredentialKind.ExecPlugin),
    ];

    public static ClusterUser Find(string name) => All.Single(u => u.Info.Name == name);
}
