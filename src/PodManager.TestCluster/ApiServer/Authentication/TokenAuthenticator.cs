using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>
/// Bearer token authentication: each token stands for a user and may carry an expiry, like a bound service-account
/// token. A missing, unknown or expired token is the real 401 (whose message never says why). Tokens are kept by
/// their SHA-256, so a lookup compares no secret.
/// </summary>
internal sealed class TokenAuthenticator(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> tokens = new(StringComparer.Ordinal);

    /// <summary>A new random token for <paramref name="user"/>, valid until <paramref name="expiresAt"/> (or for ever).</summary>
    public string Issue(UserInfo user, DateTimeOffset? expiresAt)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        tokens[Hash(token)] = new Entry(user, expiresAt);
        return token;
    }

    /// <summary>Makes a token stop working at <paramref name="when"/>, or earlier if it expires before.</summary>
    public void ExpireAt(string token, DateTimeOffset when) =>
        tokens.AddOrUpdate(Hash(token), _ => throw new InvalidOperationException("unknown token"), (_, entry) =>
            entry with { ExpiresAt = entry.ExpiresAt is { } expiry && expiry < when ? expiry : when });

    /// <summary>When a token stops working, or null when it does not expire.</summary>
    public DateTimeOffset? ExpiryOf(string token) => tokens.TryGetValue(Hash(token), out var entry) ? entry.ExpiresAt : null;

    /// <summary>The user an <c>Authorization: Bearer</c> header stands for, or null.</summary>
    public UserInfo? Authenticate(string? authorization)
    {
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[prefix.Length..].Trim();
        return token.Length > 0 && tokens.TryGetValue(Hash(token), out var entry) && (entry.ExpiresAt is null || time.GetUtcNow() < entry.ExpiresAt)
            ? entry.User
            : null;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Entry(UserInfo User, DateTimeOffset? ExpiresAt);
}
