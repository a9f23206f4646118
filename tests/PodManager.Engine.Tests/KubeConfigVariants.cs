using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace PodManager.Engine.Tests;

/// <summary>Copies of a test cluster's kubeconfig with one thing wrong, written to a directory and checked by the loopback guard.</summary>
internal sealed class KubeConfigVariants(string kubeConfig, string directory)
{
    public K8SConfiguration Load() => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeConfig));

    public string Write(string name, K8SConfiguration config)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, KubernetesYaml.Serialize(config));
        return LoopbackGuard.Check(path);
    }

    /// <summary>The same cluster with its CA replaced by <paramref name="certificateAuthorityData"/>.</summary>
    public string WithCertificateAuthorityData(string name, string certificateAuthorityData)
    {
        var config = Load();
        config.Clusters.First().ClusterEndpoint.CertificateAuthorityData = certificateAuthorityData;
        return Write(name, config);
    }

    /// <summary>A server on 127.0.0.1 where nothing listens, so every connection is refused.</summary>
    public string Refusing(string name)
    {
        var config = Load();
        config.Clusters.First().ClusterEndpoint.Server = $"https://127.0.0.1:{UnusedPort()}";
        return Write(name, config);
    }

    /// <summary>certificate-authority-data of a CA that did not sign the test cluster's certificate.</summary>
    public static string OtherAuthorityData()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=some other authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Base64(certificate.ExportCertificatePem());
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
