namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>A credential for one registry, from a pull secret's docker config: the key names the registry (host,
/// optional port and path prefix, optional scheme) as a <c>.dockerconfigjson</c> <c>auths</c> entry does.</summary>
internal sealed record RegistryCredential(string Key, string? Username, string? Password);

/// <summary>
/// The test cluster's private registry (<see cref="TestClusterRegistry"/>): like a registry with basic
/// authentication, it serves an image only to a pull that presents its credentials; any other pull gets containerd's
/// 401. Credentials come from the pod's <c>imagePullSecrets</c>, matched to the image as the kubelet's keyring
/// matches them (host, port, path prefix).
/// </summary>
internal static class PrivateRegistry
{
    private const string Host = TestClusterRegistry.Host;

    public static bool Serves(ImageReference image) => image.Repository.StartsWith(Host + "/", StringComparison.Ordinal);

    public static bool Authorizes(ImageReference image, IReadOnlyList<RegistryCredential> credentials) =>
        credentials.Any(c => Matches(c.Key, image) && c.Username == TestClusterRegistry.Username && c.Password == TestClusterRegistry.Password);

    /// <summary>containerd's answer when the registry refuses the manifest request.</summary>
    public static string Unauthorized(ImageReference image)
    {
        var path = image.Repository[(Host.Length + 1)..];
        var reference = image.Digest ?? image.Tag ?? "latest";
        return $"rpc error: code = Unknown desc = failed to pull and unpack image \"{image.Normalized}\": failed to resolve reference \"{image.Normalized}\": unexpected status from HEAD request to https://{Host}/v2/{path}/manifests/{reference}: 401 Unauthorized";
    }

    /// <summary>Whether a docker config key (<c>registry.private.test</c>, <c>https://registry.private.test/team</c>,
    /// <c>*.private.test</c>) covers the image, as the credential provider's URL matching decides.</summary>
    private static bool Matches(string key, ImageReference image)
    {
        var text = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
            }
        }

        var slash = text.IndexOf('/');
        var hostPart = slash < 0 ? text : text[..slash];
        var pathPart = slash < 0 ? string.Empty : text[(slash + 1)..].TrimEnd('/');
        if (pathPart is "v1" or "v2")
        {
            pathPart = string.Empty;
        }

        var imageHost = image.Repository[..image.Repository.IndexOf('/')];
        var imagePath = image.Repository[(imageHost.Length + 1)..];
        var hostMatches = hostPart.StartsWith("*.", StringComparison.Ordinal)
            ? imageHost.EndsWith(hostPart[1..], StringComparison.OrdinalIgnoreCase) && !imageHost[..^(hostPart.Length - 1)].Contains('.')
            : string.Equals(hostPart, imageHost, StringComparison.OrdinalIgnoreCase);
        return hostMatches && (pathPart.Length == 0 || imagePath == pathPart || imagePath.StartsWith(pathPart + "/", StringComparison.Ordinal));
    }
}
