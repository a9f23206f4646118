using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace PodManager.Engine.Connections;

/// <summary>
/// A connection from an API server's URL and a bearer token, without any kubeconfig: what a runbook that keeps the
/// token in a vault has. The CA is a PEM file's path or PEM text; without one the system's trusted CAs decide.
/// </summary>
internal static class ServerAndToken
{
    public static ResolvedConnection Resolve(string server, string token, string? certificateAuthority)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-Server '{server}' is not an API server URL. Give it as https://host:port, as the server: line of a kubeconfig.")
                { IsFatal = true };
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                "-Token is empty. Give the bearer token (a SecureString), e.g. from the runbook's vault.")
                { IsFatal = true };
        }

        var config = new KubernetesClientConfiguration { Host = server, AccessToken = token };
        if (!string.IsNullOrEmpty(certificateAuthority))
        {
            config.SslCaCerts = Certificates(certificateAuthority);
        }

        var key = "token:" + server + "|" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token + "\n" + certificateAuthority)))[..16];
        return new ResolvedConnection(config, new KConnection(key, null, null, server, "default"), new ClientIdentity($"the token given to Connect-KCluster"));
    }

    private static X509Certificate2Collection Certificates(string pathOrPem)
    {
        var isPem = pathOrPem.Contains("-----BEGIN", StringComparison.Ordinal);
        string pem;
        try
        {
            pem = isPem ? pathOrPem : File.ReadAllText(Path.GetFullPath(pathOrPem));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Invalid($"the file '{pathOrPem}' cannot be read ({e.Message.TrimEnd('.')})");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"it is not a PEM certificate ({e.Message.TrimEnd('.')})");
        }

        return certificates.Count > 0 ? certificates : throw Invalid("it holds no PEM certificate");
    }

    private static PodManagerException Invalid(string problem) =>
        new(ErrorIds.InvalidCertificateAuthority,
            $"-CertificateAuthority cannot be used: {problem}. Give the path of the cluster's CA certificate (PEM) or the PEM text itself.")
            { IsFatal = true };
}
