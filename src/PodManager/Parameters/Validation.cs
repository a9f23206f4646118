namespace PodManager.Commands.Parameters;

/// <summary>Checks of parameter values that attributes cannot express, as errors that name the parameter and the fix.</summary>
internal static class Validation
{
    public static PodManagerException? NegativeDuration(TimeSpan? value, string parameter) =>
        value is { } duration && duration < TimeSpan.Zero
            ? new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-{parameter} cannot be negative ({duration}). Give a duration such as 120 (seconds), 5m or 00:05:00.")
            : null;

    public static PodManagerException? NonPositiveDuration(TimeSpan? value, string parameter, string otherwise) =>
        value is { } duration && duration <= TimeSpan.Zero
            ? new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-{parameter} must be positive, not {duration}. {otherwise}")
            : null;
}
