using System.Text.RegularExpressions;

namespace PodManager.Engine.Pods;

/// <summary>
/// The API server's rules for names (k8s.io/apimachinery/pkg/util/validation), checked on the client so that a
/// parameter value that cannot work is refused before any request, with the rule in the message.
/// </summary>
internal static partial class KubernetesNames
{
    public const string LabelRule = "a DNS label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";

    public const string SubdomainRule = "a DNS subdomain: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";

    public const string EnvironmentVariableRule = "letters, digits, '_', '-' and '.', not starting with a digit";

    public const string KeyRule = "at most 253 letters, digits, '-', '_' and '.'";

    public const string QualifiedNameRule = "an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    /// <summary>Container, volume and port names (IsDNS1123Label).</summary>
    public static bool IsLabel(string? name) => name is { Length: > 0 and <= 63 } && Label().IsMatch(name);

    /// <summary>Names of ConfigMaps, Secrets, claims, priority classes (IsDNS1123Subdomain).</summary>
    public static bool IsSubdomain(string? name) => name is { Length: > 0 and <= 253 } && Subdomain().IsMatch(name);

    /// <summary>IsEnvVarName.</summary>
    public static bool IsEnvironmentVariable(string? name) => name is { Length: > 0 } && EnvironmentVariable().IsMatch(name);

    /// <summary>Keys of a ConfigMap or Secret (IsConfigMapKey).</summary>
    public static bool IsKey(string? key) => key is { Length: > 0 and <= 253 } and not ("." or "..") && Key().IsMatch(key);

    /// <summary>Label keys and extended resource names (IsQualifiedName).</summary>
    public static bool IsQualifiedName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var slash = name.LastIndexOf('/');
        var local = slash < 0 ? name : name[(slash + 1)..];
        return (slash < 0 || IsSubdomain(name[..slash])) && local.Length is > 0 and <= 63 && QualifiedLocal().IsMatch(local);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex Key();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedLocal();
}
