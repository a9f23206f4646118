namespace PodManager.Engine.Resilience;

/// <summary>What a failed call says about trying it again: the answer of the one classifier, <see cref="RetryPolicy.Classify(Exception, CancellationToken)"/>.</summary>
public enum FailureKind
{
    /// <summary>
    /// No retry can change it: a status other than 429 and 5xx (400, 401, 403, 404, 409, 422 ...), a TLS certificate the
    /// handshake rejected, an exec upgrade the server refused, the caller's own cancellation, anything unknown.
    /// </summary>
    Permanent,

    /// <summary>No answer came: the connection failed or was cut (a stream too), or the attempt timed out. The server may be back in a moment.</summary>
    NoAnswer,

    /// <summary>The server answered, but 429 or 500/502/503/504: busy or failing for now.</summary>
    Unavailable,
}
