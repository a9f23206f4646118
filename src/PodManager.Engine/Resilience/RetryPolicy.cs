using System.Net;
using System.Net.Http.Headers;

namespace PodManager.Engine.Resilience;

/// <summary>
/// The one retry rule: what is transient (<see cref="Classify(Exception, CancellationToken)"/>) and how long to wait
/// (<see cref="DelayBefore"/>). Retried: 429 (honouring Retry-After), 500/502/503/504, connection failures and timeouts.
/// Never retried: every other status, in particular 400/401/403/404/409/422 — a 409 after a lost create is resolved
/// by the creator, not by retrying — and a TLS handshake that failed on the certificate, which no retry can change.
/// Every loop that retries asks through a <see cref="BackOff"/> made from this policy and its own <see cref="BackOffOptions"/>.
/// </summary>
public sealed class RetryPolicy(RetryOptions options, TimeProvider timeProvider)
{
    public RetryOptions Options { get; } = options;

    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>What a failed call means for retrying it; <paramref name="callerToken"/> tells the caller's cancellation from a timeout.</summary>
    public static FailureKind Classify(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when IsCertificateFailure(exception) => FailureKind.Permanent,
        OperationCanceledException => callerToken.IsCancellationRequested ? FailureKind.Permanent : FailureKind.NoAnswer,
        k8s.Autorest.HttpOperationException { Response: { } response } => Classify(response.StatusCode),
        HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException => FailureKind.NoAnswer,
        // A refused upgrade (a non-101 answer) carries a Status worth reading, not retrying; a dropped socket is transient.
        System.Net.WebSockets.WebSocketException socket => IsRefusedUpgrade(socket) ? FailureKind.Permanent : FailureKind.NoAnswer,
        _ => FailureKind.Permanent,
    };

    /// <summary>What an answer's status means for retrying it: <see cref="FailureKind.Unavailable"/> for 429 and 500/502/503/504, otherwise <see cref="FailureKind.Permanent"/> (a success needs no retry either).</summary>
    public static FailureKind Classify(HttpStatusCode status) => IsTransientStatus(status) ? FailureKind.Unavailable : FailureKind.Permanent;

    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout;

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

    /// <summary>A back-off for one run of one loop, on this policy's delays and the loop's budget.</summary>
    internal BackOff BackOff(BackOffOptions budget) => new(this, budget);

    /// <summary>Runs an operation that does not go through HttpClient (exec over WebSocket) under the per-request budget.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var backOff = BackOff(BackOffOptions.PerRequest(Options));
        while (true)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (backOff.ShouldRetry(e, cancellationToken))
            {
                await backOff.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
