namespace PodManager;

/// <summary>
/// Identifies the cluster connection an object came from, so piped cmdlets reuse it without
/// connection parameters. It never holds credentials: <see cref="Key"/> names the cached engine.
/// </summary>
public sealed class KConnection
{
    public KConnection(string key, string? kubeConfig, string? context, string server, string defaultNamespace)
    {
        Key = key;
        KubeConfig = kubeConfig;
        Context = context;
        Server = server;
        DefaultNamespace = defaultNamespace;
    }

    /// <summary>The engine cache key; equal keys share one engine.</summary>
    public string Key { get; }

    /// <summary>The kubeconfig file(s) this connection was read from, or null for in-cluster or inline configuration.</summary>
    public string? KubeConfig { get; }

    public string? Context { get; }

    public string Server { get; }

    public string DefaultNamespace { get; }

    public override string ToString() => Context is null ? Server : $"{Context} ({Server})";
}
