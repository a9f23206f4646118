using System.Management.Automation;
using System.Management.Automation.Language;

namespace PodManager.Commands.Completion;

internal static class CompletionResults
{
    /// <summary>The values that start with what was typed (wildcards allowed), quoted when they need it.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? wordToComplete)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
        return values.Where(pattern.IsMatch).OrderBy(v => v, StringComparer.OrdinalIgnoreCase)
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v));
    }

    private static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || "'\"`$(){}[];,|&<>@#".Contains(c))
            ? "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'"
            : value;

    public static string? Bound(System.Collections.IDictionary parameters, string name) =>
        parameters.Contains(name) ? parameters[name]?.ToString() : null;
}
