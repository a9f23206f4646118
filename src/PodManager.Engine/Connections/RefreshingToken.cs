using System.Net.Http.Headers;
using k8s.Authentication;

namespace PodManager.Engine.Connections;

/// <summary>
/// A bearer token read from a source that can give a newer one: a token file that is rotated on disk (a kubeconfig
/// user's <c>tokenFile</c>, a projected service-account token) or an exec credential plugin. The token is kept until
/// its source says it expires, or until the API server refuses it: then <see cref="RefreshAsync"/> reads the source
/// again, once for every request that met the same stale token, as client-go's cached token source and kubectl do.
/// </summary>
internal sealed class RefreshingToken(string source, Func<CancellationToken, Task<(string Token, DateTimeOffset? Expires)>> read, TimeProvider time) : ITokenProvider
{
    /// <summary>How early before its expiry a token is read again, as client-go's exec authenticator does.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset? Expires)? current;

    /// <summary>Where the token comes from, for messages: "token file /var/run/...", "exec plugin /usr/bin/...".</summary>
    public string Source { get; } = source;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var held = current;
        if (held is { } token && (token.Expires is null || token.Expires.Value - ExpiryMargin > time.GetUtcNow()))
        {
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return new AuthenticationHeaderValue("Bearer", await ReadAsync(held?.Token, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The header to retry a request with after the server refused <paramref name="refused"/>: the source read again,
    /// unless another request already did since. Null when the source gives the same token, so a retry would only be refused again.
    /// </summary>
    public async Task<AuthenticationHeaderValue?> RefreshAsync(AuthenticationHeaderValue? refused, CancellationToken cancellationToken)
    {
        var token = await ReadAsync(refused?.Parameter, cancellationToken).ConfigureAwait(false);
        return token == refused?.Parameter ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<string> ReadAsync(string? stale, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is { } newer && newer.Token != stale && (newer.Expires is null || newer.Expires.Value - ExpiryMargin > time.GetUtcNow()))
            {
                return newer.Token;
            }

            try
            {
                current = await read(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not PodManagerException)
            {
                throw new PodManagerException(ErrorIds.Unauthorized,
                    $"Cannot read the credentials from the {Source}: {SecretRedactor.Redact(e.Message)} Fix the kubeconfig's user entry, or pick another -Context.", e)
                    { IsFatal = true };
            }

            return current.Value.Token;
        }
        finally
        {
            gate.Release();
        }
    }
}
