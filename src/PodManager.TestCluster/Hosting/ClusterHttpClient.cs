using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace PodManager.TestCluster.Hosting;

/// <summary>HTTP clients that trust exactly the cluster's CA (and nothing else) and send a bearer token.</summary>
internal static class ClusterHttpClient
{
    public static HttpClient Create(Uri address, string authorityPem, string? token)
    {
        var authority = X509Certificate2.CreateFromPem(authorityPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => IsIssuedBy(authority, certificate) },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static bool IsIssuedBy(X509Certificate2 authority, X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }
}
