using System.Globalization;
using System.Management.Automation;
using PodManager.Engine;

namespace PodManager.Commands.Parameters;

/// <summary>
/// Lets timeouts be given the way people say them (<see cref="DurationText"/>): a number means seconds (not
/// ticks, as a bare [TimeSpan] cast would), "90s", "5m", "1h", or any TimeSpan text or value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanTransformationAttribute : ArgumentTransformationAttribute
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
            case string text when DurationText.TryParse(text, out var parsed):
                return parsed;
            default:
                throw new ArgumentTransformationMetadataException($"'{value}' is not a duration. Give {DurationText.Forms}.");
        }
    }
}
