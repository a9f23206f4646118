using System.Security.Cryptography;

namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>The two bearer tokens of a cluster: full access (also the fault API) and read-only.</summary>
internal sealed class AccessTokens
{
    public const string AdminUser = "testcluster";
    public const string ReadOnlyUser = "testcluster-readonly";

    public string Admin { get; } = NewToken();

    public string ReadOnly { get; } = NewToken();

    /// <summary>The user a bearer token belongs to, or null for a wrong or missing token.</summary>
    public string? UserFor(string? authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[prefix.Length..].Trim();
        if (FixedTimeEquals(token, Admin))
        {
            return AdminUser;
        }

        return FixedTimeEquals(token, ReadOnly) ? ReadOnlyUser : null;
    }

    private static bool FixedTimeEquals(string candidate, string expected) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(candidate), System.Text.Encoding.UTF8.GetBytes(expected));

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
