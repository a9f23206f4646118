using System.Text;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// What PowerShell's error view shows of a pod that failed or cannot start (the ErrorRecord's ErrorDetails message): one
/// line naming the pod, the reason and the exit code (or the reason's message), then the last log lines and the
/// warning events below it. The full diagnosis stays on the exception (its Message and Diagnosis).
/// </summary>
internal static class FailureView
{
    /// <summary>How many of the diagnosis's last log lines the view shows; $_.Exception.Diagnosis.LastLogLines has them all.</summary>
    public const int LogLines = 5;

    public static string Text(PodManagerException error, KPodDiagnosis diagnosis)
    {
        var what = error.ErrorId == ErrorIds.PodFailed.Name ? "failed"
            : error.ErrorId == ErrorIds.PodLaunchTimeout.Name ? "did not start in time"
            : "cannot start";
        var text = new StringBuilder($"Pod {diagnosis.Namespace}/{diagnosis.Pod} {what}: {diagnosis.Reason}");
        if (diagnosis.ExitCode is { } code)
        {
            text.Append($", exit code {code}");
        }
        else if (!string.IsNullOrWhiteSpace(diagnosis.Message))
        {
            text.Append(": ").Append(OneLine(diagnosis.Message));
        }

        if (!string.IsNullOrWhiteSpace(diagnosis.TerminationMessage))
        {
            text.Append("\n  termination message: ").Append(OneLine(diagnosis.TerminationMessage));
        }

        if (diagnosis.LastLogLines.Count > 0)
        {
            text.Append($"\n  last log lines{(diagnosis.Container is null ? "" : $" of {diagnosis.Container}")}:");
            foreach (var line in diagnosis.LastLogLines.TakeLast(LogLines))
            {
                text.Append("\n    ").Append(line);
            }
        }

        if (diagnosis.Warnings.Count > 0)
        {
            text.Append("\n  warning events:");
            foreach (var warning in diagnosis.Warnings)
            {
                text.Append($"\n    {warning.Reason}{(warning.Count > 1 ? $" (x{warning.Count})" : "")}: {OneLine(warning.Message)}");
            }
        }

        return text.ToString();
    }

    private static string OneLine(string? text) => string.Join(' ', (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
