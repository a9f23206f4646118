namespace PodManager.Engine.Resilience;

/// <summary>The one retry policy every API call goes through; defaults match Airflow's generic_api_retry.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, not retries (Airflow's API_RETRIES = 5).</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A server's Retry-After is honoured up to this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take to get response headers (streams then run as long as they need).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While the engine has never had an answer from the API server, a call retries connection failures only
    /// this long, so a wrong address or a stopped cluster fails the first cmdlet within seconds; once the server
    /// has answered, failures are outages and get every attempt.
    /// </summary>
    public TimeSpan ConnectBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Each back-off is scaled by a random factor in [1 - JitterRatio, 1 + JitterRatio].</summary>
    public double JitterRatio { get; init; } = 0.2;

    public static RetryOptions Default { get; } = new();
}
