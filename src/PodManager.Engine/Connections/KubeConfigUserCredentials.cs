using k8s.KubeConfigModels;

namespace PodManager.Engine.Connections;

/// <summary>
/// A kubeconfig user with the field KubernetesClient's model lacks: <c>tokenFile</c>, a file holding the bearer token,
/// read again whenever it may have been rotated (client-go's <c>BearerTokenFile</c>).
/// </summary>
internal sealed class KubeConfigUserCredentials : UserCredentials
{
    public string? TokenFile { get; set; }
}
