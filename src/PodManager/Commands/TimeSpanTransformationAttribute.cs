using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PodManager.Commands;

/// <summary>
/// Lets timeouts be given the way people say them: a number means seconds (not ticks, as a bare
/// [TimeSpan] cast would), "90s", "5m", "1h", or any TimeSpan text or value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class TimeSpanTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null or TimeSpan:
                return value;
            case int or long or double or float or decimal or short or byte:
                return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case string text when Unit().Match(text.Trim()) is { Success: true } match:
                var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                return match.Groups[2].Value.ToLowerInvariant() switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" or "" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    _ => TimeSpan.FromHours(amount),
                };
            case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"'{value}' is not a duration. Give seconds (120), a unit (90s, 5m, 1h) or a TimeSpan (00:02:00).");
        }
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|)$", RegexOptions.IgnoreCase)]
    private static partial Regex Unit();
}
