using System.Globalization;
using System.Management.Automation;
using PodManager.Engine;

namespace PodManager.Commands.Parameters;

/// <summary>
/// Lets timeouts be given the way people say them (<see cref="DurationText"/>): a number means seconds (not
/// ticks, as a bare [TimeSpan] cast would), "90s", "5m", "1h", or any TimeSpan text or value. A time limit longer
/// than a timer can hold (<see cref="LongestTimeLimit"/>, about 49.7 days) is refused here, naming the longest one,
/// rather than failing later inside a wait as a .NET range error.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>The longest delay .NET timers take (uint.MaxValue - 1 milliseconds).</summary>
    public static readonly TimeSpan LongestTimeLimit = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Whether the value is a window into the past (-Since) rather than a time limit, so any length will do.</summary>
    public bool AnyLength { get; set; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        TimeSpan duration;
        switch (value)
        {
            case null:
                return null;
            case TimeSpan given:
                duration = given;
                break;
            case int or long or double or float or decimal or short or byte:
                var seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!(Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds))
                {
                    throw TooLong(value);
                }

                duration = TimeSpan.FromSeconds(seconds);
                break;
            case string text:
                try
                {
                    if (!DurationText.TryParse(text, out duration))
                    {
                        throw NotADuration(value);
                    }
                }
                catch (OverflowException)
                {
                    throw TooLong(value);
                }

                break;
            default:
                throw NotADuration(value);
        }

        return AnyLength || duration <= LongestTimeLimit ? duration : throw TooLong(value);
    }

    private static ArgumentTransformationMetadataException NotADuration(object? value) =>
        new($"'{value}' is not a duration. Give {DurationText.Forms}.");

    private static ArgumentTransformationMetadataException TooLong(object? value) =>
        new($"'{value}' is longer than the longest time limit a timer can hold ({LongestTimeLimit.TotalDays:0.#} days). "
            + "Give at most 49d (1176h), or leave the parameter out for its default.");
}
