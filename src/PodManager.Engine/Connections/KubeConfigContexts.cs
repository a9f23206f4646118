namespace PodManager.Engine.Connections;

/// <summary>The context names a kubeconfig offers, read from the file(s) kubectl would use; no network.</summary>
public static class KubeConfigContexts
{
    public static IReadOnlyList<string> List(string? kubeConfigPath)
    {
        var config = KubeConfigMerger.Load(ConnectionResolver.KubeConfigFiles(kubeConfigPath));
        return (config.Contexts ?? []).Select(c => c.Name).ToList();
    }
}
