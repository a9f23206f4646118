using k8s;
using k8s.KubeConfigModels;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>
/// Every test reaches a cluster through this guard: a kubeconfig whose server is not on 127.0.0.1 is refused, so
/// no test can ever talk to a real cluster by accident.
/// </summary>
public static class LoopbackGuard
{
    /// <summary>Loads the kubeconfig after checking every cluster in it points at https://127.0.0.1.</summary>
    public static KubernetesClientConfiguration Load(string kubeConfigPath, string? context = null)
    {
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeConfigPath));
        foreach (var cluster in config.Clusters ?? [])
        {
            RequireLoopback(cluster.ClusterEndpoint?.Server, kubeConfigPath);
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }

    public static void RequireLoopback(string? server, string source)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Host != "127.0.0.1")
        {
            throw new InvalidOperationException($"Refusing to use {source}: its server '{server}' is not on 127.0.0.1.");
        }
    }

    public static K8SConfiguration Read(string kubeConfigPath) => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeConfigPath));
}
