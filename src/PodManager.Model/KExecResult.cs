namespace PodManager;

/// <summary>The outcome of a command run in a container (Invoke-KPodCommand).</summary>
public sealed class KExecResult
{
    public required string Pod { get; init; }

    public required string Namespace { get; init; }

    public required string Container { get; init; }

    public required int ExitCode { get; init; }

    public required string StdOut { get; init; }

    public required string StdErr { get; init; }

    /// <summary>
    /// False when the command wrote bytes to stdout that are not UTF-8: <see cref="StdOut"/> holds U+FFFD in their place,
    /// and the cmdlets warn, naming the pod, rather than hand out altered text as if it were the output.
    /// </summary>
    public bool StdOutIsUtf8 { get; init; } = true;

    public override string ToString() => StdOut;
}
