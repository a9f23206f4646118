using System.Net;
using System.Net.Http.Headers;

namespace PodManager.Engine.Resilience;

/// <summary>
/// The one back-off of every retrying loop: counts the failures since the loop last made progress, says whether to try
/// again (the failure is transient for this loop, <see cref="RetryPolicy.Classify(Exception, CancellationToken)"/>, and
/// the loop's attempts are not spent) and how long to wait first: <see cref="RetryOptions.InitialDelay"/> doubling to
/// <see cref="RetryOptions.MaxDelay"/>, with jitter, within the loop's <see cref="BackOffOptions"/>.
/// </summary>
/// <remarks>One per run of a loop, used by that loop alone.</remarks>
internal sealed class BackOff(RetryPolicy policy, BackOffOptions budget)
{
    /// <summary>Failures since the loop last made progress.</summary>
    public int Failures { get; private set; }

    /// <summary>Whether the loop should try again after <paramref name="failure"/>; counts it when so.</summary>
    public bool ShouldRetry(Exception failure, CancellationToken callerToken) => Retries(failure, callerToken) && Fail();

    /// <summary>Whether the loop should try again after an answer with <paramref name="status"/>; counts it when so.</summary>
    public bool ShouldRetry(HttpStatusCode status) => Retries(RetryPolicy.Classify(status)) && Fail();

    /// <summary>Whether this loop retries <paramref name="failure"/> at all, without counting it.</summary>
    public bool Retries(Exception failure, CancellationToken callerToken) => Retries(RetryPolicy.Classify(failure, callerToken));

    /// <summary>Whether this loop retries failures of this kind at all.</summary>
    public bool Retries(FailureKind kind) =>
        kind == FailureKind.NoAnswer || (kind == FailureKind.Unavailable && budget.RetriesUnavailable);

    /// <summary>Counts a failure the loop judged itself (a watch closed at once, a read that brought nothing); false once the attempts are spent.</summary>
    public bool Fail()
    {
        Failures++;
        return budget.MaxAttempts is not { } max || Failures < max;
    }

    /// <summary>The loop made progress: the next failure waits the shortest delay again.</summary>
    public void Reset() => Failures = 0;

    /// <summary>The wait before the next attempt; a server's Retry-After wins, up to <see cref="RetryOptions.MaxRetryAfter"/>.</summary>
    public TimeSpan NextDelay(RetryConditionHeaderValue? retryAfter = null)
    {
        var doublings = Math.Max(Failures - 1, 0);
        if (budget.MaxDoublings is { } cap)
        {
            doublings = Math.Min(doublings, cap);
        }

        return policy.DelayBefore(doublings + 2, retryAfter);
    }

    public Task WaitAsync(CancellationToken cancellationToken) => WaitAsync(NextDelay(), cancellationToken);

    /// <summary>Waits <paramref name="delay"/> (a <see cref="NextDelay"/> the loop shortened or reported) on the policy's clock.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, policy.TimeProvider, cancellationToken);
}
