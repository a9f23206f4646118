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

    public override string ToString() => StdOut;
}
