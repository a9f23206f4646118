using System.Collections;
using System.Management.Automation;

namespace PodManager.Commands.Parameters;

/// <summary>
/// Parameters whose values are Kubernetes objects (-Toleration, -Affinity, -SecurityContext, -InitContainer,
/// -Sidecar): a hashtable or an object with the object's fields, handed to the engine as JSON, which checks every
/// field. Any other value is refused here, naming the parameter.
/// </summary>
internal static class ObjectParameters
{
    /// <summary>The value as JSON text, when it is a hashtable or an object with properties.</summary>
    public static string? Json(object? value)
    {
        var unwrapped = Unwrap(value);
        return unwrapped is IDictionary or PSObject ? JsonConversion.ToJson(unwrapped) : null;
    }

    /// <summary>Each value of a list parameter as JSON text, or an error naming the parameter and what it takes.</summary>
    public static IReadOnlyList<string>? JsonList(object[]? values, string parameter, string example) =>
        values?.Select(v => Json(v) ?? throw Invalid(parameter, v, example)).ToList();

    public static PodManagerException Invalid(string parameter, object? value, string example) =>
        new(ErrorIds.InvalidParameterValue,
            $"-{parameter} takes hashtables of the object's fields, e.g. -{parameter} {example}; not {Describe(Unwrap(value))}.");

    /// <summary>The value itself; a PSCustomObject stays wrapped, since its properties live on the wrapper.</summary>
    public static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;

    private static string Describe(object? value) => value switch
    {
        null => "a null value",
        string text => $"the text '{text}'",
        _ => $"a {value.GetType().Name}",
    };
}
