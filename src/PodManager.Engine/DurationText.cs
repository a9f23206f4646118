using System.Globalization;
using System.Text.RegularExpressions;

namespace PodManager.Engine;

/// <summary>
/// Durations as people write them, for parameters and settings alike: a number is seconds (not ticks, as a bare
/// [TimeSpan] cast would have it), a number with a unit ("250ms", "90s", "5m", "1.5h"), or TimeSpan text ("00:05:00").
/// </summary>
public static partial class DurationText
{
    /// <summary>The accepted forms, for error messages.</summary>
    public const string Forms = "seconds (120), a unit (90s, 5m, 1h) or a TimeSpan (00:02:00)";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        if (Unit().Match(text.Trim()) is { Success: true } match)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" or "" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|)$", RegexOptions.IgnoreCase)]
    private static partial Regex Unit();
}
