using System.Text;

namespace PodManager;

/// <summary>
/// Why a pod failed, in one place: the reason and message Kubernetes gave, the failing container's exit
/// code and termination message, the pod's Warning events and the last lines of that container's log.
/// </summary>
public sealed class KPodDiagnosis
{
    public required string Pod { get; init; }

    public required string Namespace { get; init; }

    /// <summary>A stable word for the failure: ErrImagePull, CrashLoopBackOff, OOMKilled, Evicted, Unschedulable, Error ...</summary>
    public required string Reason { get; init; }

    public string? Message { get; init; }

    /// <summary>The container that failed, when one did.</summary>
    public string? Container { get; init; }

    public int? ExitCode { get; init; }

    public string? TerminationMessage { get; init; }

    public IReadOnlyList<KPodEvent> Warnings { get; init; } = [];

    public IReadOnlyList<string> LastLogLines { get; init; } = [];

    /// <summary>What to do about it, by its reason: check the image, raise the memory limit, read the events ...</summary>
    public string? RecommendedAction { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder($"Pod {Namespace}/{Pod}: {Reason}");
        if (!string.IsNullOrWhiteSpace(Message))
        {
            text.Append(": ").Append(Message.Trim());
        }

        if (Container is not null)
        {
            text.Append($"\n  container: {Container}");
        }

        if (ExitCode is { } code)
        {
            text.Append($"\n  exit code: {code}");
        }

        if (!string.IsNullOrWhiteSpace(TerminationMessage))
        {
            text.Append($"\n  termination message: {TerminationMessage.Trim()}");
        }

        if (Warnings.Count > 0)
        {
            text.Append("\n  warning events:");
            foreach (var warning in Warnings)
            {
                text.Append($"\n    {warning.Reason}{(warning.Count > 1 ? $" (x{warning.Count})" : "")}: {warning.Message}");
            }
        }

        if (LastLogLines.Count > 0)
        {
            text.Append($"\n  last {LastLogLines.Count} log line{(LastLogLines.Count == 1 ? "" : "s")}{(Container is null ? "" : $" of {Container}")}:");
            foreach (var line in LastLogLines)
            {
                text.Append("\n    ").Append(line);
            }
        }

        return text.ToString();
    }
}
