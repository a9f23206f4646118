using System.Text.RegularExpressions;

namespace PodManager;

/// <summary>
/// The level a log line announces, read as the newer Airflow provider reads it (_parse_log_level):
/// a leading DEBUG, INFO, WARNING/WARN, ERROR or CRITICAL/FATAL, optionally in brackets and followed by
/// ':' or '-'; anything else is INFO.
/// </summary>
public static partial class LogLevels
{
    public static string Of(string message)
    {
        var match = Prefix().Match(message);
        return !match.Success ? "INFO" : match.Groups[1].Value.ToUpperInvariant() switch
        {
            "WARN" => "WARNING",
            "FATAL" => "CRITICAL",
            var level => level,
        };
    }

    [GeneratedRegex(@"^\s*(?:\[)?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?:\])?\s*[:\-]?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Prefix();
}
