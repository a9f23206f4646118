namespace PodManager.Engine.Resilience;

/// <summary>
/// One engine's record of whether the API server answers: whether it ever has, and since when it has not.
/// Every attempt of every call updates it (<see cref="Api.ApiCallHandler"/>), so the per-call retry, the shared
/// watches and the waits' time limits all see the same outage.
/// </summary>
internal sealed class ServerReachability(TimeProvider time)
{
    private readonly object gate = new();
    private bool answered;
    private long? failingSince;
    private string lastFailure = "";
    private bool noAnswer;

    /// <summary>Whether the server has ever given this engine a usable answer (any status but 429 and 5xx).</summary>
    public bool HasAnswered
    {
        get
        {
            lock (gate)
            {
                return answered;
            }
        }
    }

    /// <summary>The outage going on now, or null while the server answers.</summary>
    public ServerOutage? Outage
    {
        get
        {
            lock (gate)
            {
                return failingSince is { } since ? new ServerOutage(time.GetElapsedTime(since), lastFailure, noAnswer) : null;
            }
        }
    }

    public void Answered()
    {
        lock (gate)
        {
            answered = true;
            failingSince = null;
        }
    }

    /// <param name="failure">What went wrong, as -Verbose shows it (no credentials): "Connection refused", "503".</param>
    /// <param name="kind">No answer at all, or a 429/5xx answer.</param>
    public void Failed(string failure, FailureKind kind)
    {
        lock (gate)
        {
            failingSince ??= time.GetTimestamp();
            lastFailure = failure;
            noAnswer = kind == FailureKind.NoAnswer;
        }
    }
}

/// <summary>How long the API server has been failing, and how it failed last.</summary>
internal readonly record struct ServerOutage(TimeSpan Duration, string LastFailure, bool NoAnswer)
{
    public const string Advice = "Check that the cluster is running and that the kubeconfig's server address is right.";

    /// <summary>"The API server at https://... has been unreachable for the last 18 s (Connection refused)".</summary>
    public string Describe(string server) => NoAnswer
        ? $"The API server at {server} has been unreachable for the last {Seconds(Duration)} s ({LastFailure.TrimEnd('.')})"
        : $"The API server at {server} has answered only {LastFailure.Trim()} for the last {Seconds(Duration)} s";

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
