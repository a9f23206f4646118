namespace PodManager;

/// <summary>One line of a container's log. <see cref="ToString"/> is the line as kubectl logs prints it.</summary>
public sealed class KPodLogLine
{
    public required string Pod { get; init; }

    public required string Namespace { get; init; }

    public required string Container { get; init; }

    /// <summary>When the container wrote the line, as the kubelet stamped it (nanosecond text, parsed to 100 ns ticks).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public required string Message { get; init; }

    /// <summary>The kubelet's stamp in nanoseconds since 1970, which <see cref="Timestamp"/> (100 ns ticks) cannot hold exactly.</summary>
    public long? UnixNanoseconds { get; init; }

    /// <summary>The kubelet's own RFC3339Nano text of <see cref="Timestamp"/>, all nine digits; made when asked for.</summary>
    public string? TimestampText => UnixNanoseconds is { } nanos ? KubeTimestamp.Format(nanos) : null;

    /// <summary>The level the line announces (DEBUG, INFO, WARNING, ERROR, CRITICAL), INFO when it names none; read on demand.</summary>
    public string Level => LogLevels.Of(Message);

    /// <summary>Set by <c>Get-KPodLog -Timestamps</c>: the text form then starts with the timestamp, as <c>kubectl logs --timestamps</c>.</summary>
    public bool ShowTimestamp { get; init; }

    /// <summary>Set when a command shows several pods' logs at once: the text form then starts with <c>[pod/NAME/CONTAINER]</c>, as <c>kubectl logs --prefix</c>.</summary>
    public bool ShowPrefix { get; init; }

    public override string ToString()
    {
        var text = ShowTimestamp && TimestampText is not null ? $"{TimestampText} {Message}" : Message;
        return ShowPrefix ? $"[pod/{Pod}/{Container}] {text}" : text;
    }
}
