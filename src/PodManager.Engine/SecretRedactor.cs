using System.Text.RegularExpressions;

namespace PodManager.Engine;

/// <summary>
/// Last line of defence for "secrets never appear in output": scrubs bearer tokens, key and
/// certificate data and password-like fields out of any text that leaves the engine.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";

    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = BearerPattern().Replace(text, "$1" + Mask);
        text = KeyValuePattern().Replace(text, "$1" + Mask);
        return PemPattern().Replace(text, Mask);
    }

    [GeneratedRegex(@"(\b(?:Bearer|Basic)\s+)[A-Za-z0-9\-._~+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"((?:token|password|client-key-data|client-certificate-data|certificate-authority-data|access-token|id-token|refresh-token|secret)""?\s*[:=]\s*""?)[^\s"",}]+", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePattern();

    [GeneratedRegex(@"-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----")]
    private static partial Regex PemPattern();
}
