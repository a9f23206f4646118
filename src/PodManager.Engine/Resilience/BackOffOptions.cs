namespace PodManager.Engine.Resilience;

/// <summary>
/// One loop's retry budget, on top of the delays of <see cref="RetryOptions"/>. Every loop that retries is listed here,
/// so the budgets can be compared in one place (docs/engine.md's defaults table repeats them).
/// </summary>
/// <param name="MaxAttempts">Attempts in all before the loop gives up; null when something else bounds it (an outage budget, or nothing to bound).</param>
/// <param name="MaxDoublings">How often the delay may double after <see cref="RetryOptions.InitialDelay"/>; null: until <see cref="RetryOptions.MaxDelay"/>.</param>
/// <param name="RetriesUnavailable">
/// Whether a 429/5xx answer is retried. A loop whose requests went through <see cref="Api.ApiCallHandler"/> has had that
/// answer retried there already, all attempts spent, so it retries only failures without an answer (a cut stream).
/// </param>
internal sealed record BackOffOptions(int? MaxAttempts, int? MaxDoublings, bool RetriesUnavailable)
{
    /// <summary>
    /// One request (<see cref="Api.ApiCallHandler"/>, and exec's WebSocket connect, which bypasses it): every transient
    /// failure, <see cref="RetryOptions.MaxAttempts"/> attempts (Airflow's generic_api_retry).
    /// </summary>
    public static BackOffOptions PerRequest(RetryOptions retry) => new(retry.MaxAttempts, MaxDoublings: null, RetriesUnavailable: true);

    /// <summary>
    /// The shared pod watch (<see cref="Watching.PodReflector"/>): every transient failure and every watch the server closed at
    /// once, for as long as the outage budget lasts (<see cref="PodManagerOptions.UnreachableTimeout"/>); up to 15 s apart.
    /// </summary>
    public static BackOffOptions PodWatch { get; } = new(MaxAttempts: null, MaxDoublings: 8, RetriesUnavailable: true);

    /// <summary>Opening the events watch: 4 times the per-request attempts in a row, each a whole per-request retry.</summary>
    public static BackOffOptions EventWatchOpen(RetryOptions retry) => new(retry.MaxAttempts * 4, MaxDoublings: 3, RetriesUnavailable: false);

    /// <summary>
    /// A stream that ended without news (an events watch, a log read that brought no line) is opened again for as long as
    /// the caller reads, after 1 s doubling to 8 s while nothing comes.
    /// </summary>
    public static BackOffOptions QuietStream { get; } = new(MaxAttempts: null, MaxDoublings: 3, RetriesUnavailable: false);

    /// <summary>A log read (<see cref="Logs.PodLogReader"/>) fails after 20 broken streams in a row; between them it waits as after a quiet stream.</summary>
    public static BackOffOptions LogStreamBreaks { get; } = new(MaxAttempts: 20, MaxDoublings: null, RetriesUnavailable: false);

    /// <summary>The one-line read of a finished container's last line: the per-request attempts again for a cut answer.</summary>
    public static BackOffOptions LogTail(RetryOptions retry) => PerRequest(retry) with { RetriesUnavailable = false };
}
