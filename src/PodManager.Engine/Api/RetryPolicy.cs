using System.Net;
using System.Net.Http.Headers;

namespace PodManager.Engine.Api;

/// <summary>
/// Decides what is transient and how long to wait. Retried: 429 (honouring Retry-After),
/// 500/502/503/504, connection failures and timeouts. Never retried: every other status,
/// in particular 400/401/403/404/409/422 — a 409 after a lost create is resolved by the creator, not by retrying —
/// and a TLS handshake that failed on the certificate, which no retry can change.
/// </summary>
public sealed class RetryPolicy(RetryOptions options, TimeProvider timeProvider)
{
    public RetryOptions Options { get; } = options;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout;

    public static bool IsTransientException(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when IsCertificateFailure(exception) => false,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException => true,
        // A refused upgrade (a non-101 answer) carries a Status worth reading, not retrying; a dropped socket is transient.
        System.Net.WebSockets.WebSocketException socket => !IsRefusedUpgrade(socket),
        _ => false,
    };

    /// <summary>
    /// A TLS handshake that failed on a certificate: the kubeconfig's CA does not trust the server's (the
    /// RemoteCertificateValidationCallback rejected it), or the server refused ours. HttpClient and the WebSocket
    /// client both wrap the handshake's AuthenticationException, so it is looked for along the inner exceptions.
    /// </summary>
    public static bool IsCertificateFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsRefusedUpgrade(System.Net.WebSockets.WebSocketException exception) =>
        exception.WebSocketErrorCode == System.Net.WebSockets.WebSocketError.NotAWebSocket
        || exception.Message.Contains("status code", StringComparison.OrdinalIgnoreCase);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 or later).</summary>
    public TimeSpan DelayBefore(int nextAttempt, RetryConditionHeaderValue? retryAfter = null)
    {
        if (retryAfter is not null)
        {
            var fromServer = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - TimeProvider.GetUtcNow() : TimeSpan.Zero);
            if (fromServer > TimeSpan.Zero)
            {
                return fromServer < Options.MaxRetryAfter ? fromServer : Options.MaxRetryAfter;
            }
        }

        var exponent = Math.Min(nextAttempt - 2, 30);
        var baseDelay = Options.InitialDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(baseDelay, Options.MaxDelay.TotalMilliseconds);
        var jitter = 1 + ((Random.Shared.NextDouble() * 2) - 1) * Options.JitterRatio;
        return TimeSpan.FromMilliseconds(Math.Min(capped * jitter, Options.MaxDelay.TotalMilliseconds));
    }

    /// <summary>Runs an operation that does not go through HttpClient (exec over WebSocket) under the same policy.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Options.MaxAttempts && IsTransient(e, cancellationToken))
            {
                await Task.Delay(DelayBefore(attempt + 1), TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception e, CancellationToken token) =>
        IsTransientException(e, token)
        || (e is k8s.Autorest.HttpOperationException http && http.Response is { } response && IsTransientStatus(response.StatusCode));
}
