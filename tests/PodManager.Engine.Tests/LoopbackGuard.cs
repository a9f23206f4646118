using k8s;

namespace PodManager.Engine.Tests;

/// <summary>Every test goes through this: a kubeconfig whose server is not on 127.0.0.1 is refused.</summary>
internal static class LoopbackGuard
{
    public static string Check(string kubeConfigPath)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeConfigPath), useRelativePaths: true);
        foreach (var cluster in config.Clusters ?? [])
        {
            var server = new Uri(cluster.ClusterEndpoint.Server);
            if (server.Host != "127.0.0.1")
            {
                throw new InvalidOperationException($"Refusing kubeconfig '{kubeConfigPath}': cluster '{cluster.Name}' is at {server}, not on 127.0.0.1.");
            }
        }

        return kubeConfigPath;
    }
}
