namespace PodManager.TestCluster;

/// <summary>
/// The contexts of the cluster's kubeconfig; each context's user has the same name. Admin and read-only are for
/// the harness and never expire; the others stand for what production clusters hand out (see docs/test-cluster.md).
/// </summary>
public static class TestClusterContexts
{
    /// <summary>Full access (group <c>system:masters</c>, ClusterRole <c>cluster-admin</c>), also to the fault API. The current context.</summary>
    public const string Admin = "testcluster";

    /// <summary>The ClusterRole <c>view</c> on every namespace: reads, never writes, no Secrets, no exec.</summary>
    public const string ReadOnly = "testcluster-readonly";

    /// <summary>The ClusterRole <c>podmanager</c> (the least-privilege role of docs/rbac.md) in namespace <c>default</c>.</summary>
    public const string PodManager = "testcluster-podmanager";

    /// <summary>May create, get, patch and delete named pods in <c>default</c>, read their logs and exec into them,
    /// but not list or watch pods namespace-wide (ClusterRole <c>testcluster:no-list</c>).</summary>
    public const string NoList = "testcluster-nolist";

    /// <summary>The PodManager role, with a static token that expires after <see cref="TestClusterOptions.TokenLifetime"/> and nothing to refresh it.</summary>
    public const string Expiring = "testcluster-expiring";

    /// <summary>The PodManager role, with a kubeconfig <c>tokenFile</c> the cluster rotates on disk.</summary>
    public const string TokenFile = "testcluster-tokenfile";

    /// <summary>The PodManager role, through an exec credential plugin that prints an <c>ExecCredential</c> with an <c>expirationTimestamp</c>.</summary>
    public const string Exec = "testcluster-exec";

    /// <summary>Every context, in the order of the kubeconfig.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, ReadOnly, PodManager, NoList, Expiring, TokenFile, Exec];
}
