using System.Text.Json.Serialization;

namespace PodManager.TestCluster;

/// <summary>
/// A fault the cluster injects into the next <see cref="Count"/> matching requests (see docs/test-cluster.md):
/// <list type="bullet">
/// <item><c>status</c> (the default kind): answer with <see cref="Status"/> as a Kubernetes Status, with a
/// <c>Retry-After</c> header when <see cref="RetryAfterSeconds"/> is set;</item>
/// <item><c>dropResponse</c>: carry the request out, then reset the connection before any response is sent;</item>
/// <item><c>cutLogStreams</c>: end the next log streams after <see cref="AfterLines"/> lines (reset the
/// connection instead when <see cref="Abort"/> is set);</item>
/// <item><c>delay</c>: hold the request for <see cref="Milliseconds"/> before serving it;</item>
/// <item><c>holdLogStreams</c>: keep the next followed log streams open, silent, after the container has ended and
/// its whole log was sent, until the client closes them (a kubelet or proxy that never ends the stream).</item>
/// </list>
/// <see cref="Method"/> and <see cref="Path"/> narrow which requests match; <c>*</c> in the path matches one segment.
/// </summary>
public sealed record FaultRule
{
    public const string StatusKind = "status";
    public const string DropResponseKind = "dropResponse";
    public const string CutLogStreamsKind = "cutLogStreams";
    public const string DelayKind = "delay";
    public const string HoldLogStreamsKind = "holdLogStreams";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = StatusKind;

    /// <summary>The HTTP method to match; null or <c>*</c> matches any.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    /// <summary>The path to match, e.g. <c>/api/v1/namespaces/*/pods</c>; null matches any.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("status")]
    public int? Status { get; init; }

    /// <summary>How many matching requests (or log streams) get the fault.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; } = 1;

    [JsonPropertyName("retryAfterSeconds")]
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The Status message; by default the real server's message for the code.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("afterLines")]
    public int? AfterLines { get; init; }

    [JsonPropertyName("abort")]
    public bool Abort { get; init; }

    [JsonPropertyName("milliseconds")]
    public int? Milliseconds { get; init; }

    public static FaultRule ForStatus(int status, string? method = null, string? path = null, int count = 1, int? retryAfterSeconds = null, string? message = null) =>
        new() { Kind = StatusKind, Status = status, Method = method, Path = path, Count = count, RetryAfterSeconds = retryAfterSeconds, Message = message };

    public static FaultRule DropResponse(string? method = null, string? path = null, int count = 1) =>
        new() { Kind = DropResponseKind, Method = method, Path = path, Count = count };

    public static FaultRule CutLogStreams(int afterLines, int count = 1, bool abort = false) =>
        new() { Kind = CutLogStreamsKind, AfterLines = afterLines, Count = count, Abort = abort };

    public static FaultRule HoldLogStreams(int count = 1) =>
        new() { Kind = HoldLogStreamsKind, Count = count };

    public static FaultRule Delay(TimeSpan delay, string? method = null, string? path = null, int count = 1) =>
        new() { Kind = DelayKind, Milliseconds = (int)delay.TotalMilliseconds, Method = method, Path = path, Count = count };
}
