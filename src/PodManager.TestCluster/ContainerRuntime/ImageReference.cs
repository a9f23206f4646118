using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>A parsed image reference, normalized the way containerd reports it in container statuses.</summary>
internal sealed partial record ImageReference(string Original, string Repository, string? Tag, string? Digest)
{
    /// <summary>e.g. <c>docker.io/library/alpine:3.19</c>.</summary>
    public string Normalized => Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag ?? "latest"}";

    /// <summary>A stable fake digest, e.g. <c>docker.io/library/alpine@sha256:…</c>.</summary>
    public string ImageId => $"{Repository}@{Digest ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalized)))}";

    /// <summary>A stable made-up size for the Pulled event.</summary>
    public long SizeBytes => 3_000_000 + (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Normalized))) % 2_000_000);

    /// <summary>Parses like the docker reference grammar; null for an invalid reference.</summary>
    public static ImageReference? Parse(string image)
    {
        var match = ReferenceRegex().Match(image);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var firstSlash = name.IndexOf('/');
        var first = firstSlash < 0 ? string.Empty : name[..firstSlash];
        var hasDomain = first.Contains('.') || first.Contains(':') || first == "localhost";
        var repository = hasDomain ? name : firstSlash < 0 ? $"docker.io/library/{name}" : $"docker.io/{name}";
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        return new ImageReference(image, repository, tag, digest);
    }

    /// <summary>The default pull policy: Always for <c>:latest</c> or no tag, else IfNotPresent.</summary>
    public string DefaultPullPolicy => Digest is null && (Tag is null || Tag == "latest") ? "Always" : "IfNotPresent";

    [GeneratedRegex(@"^(?<name>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex ReferenceRegex();
}
