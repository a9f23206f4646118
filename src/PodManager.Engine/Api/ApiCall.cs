namespace PodManager.Engine.Api;

/// <summary>One HTTP exchange with the API server, as -Verbose shows it. Holds no headers, so no credentials.</summary>
public sealed record ApiCall(string Method, string PathAndQuery, int? StatusCode, string? Failure, TimeSpan Elapsed, int Attempt)
{
    public override string ToString()
    {
        var outcome = StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : Failure ?? "no response";
        var retry = Attempt > 1 ? $" (attempt {Attempt})" : "";
        return $"{Method} {PathAndQuery} -> {outcome} in {Elapsed.TotalMilliseconds:0} ms{retry}";
    }
}
