using System.Management.Automation;

namespace PodManager.Commands;

/// <summary>The model's error categories are named after PowerShell's, so the mapping is by name.</summary>
internal static class ErrorCategories
{
    public static ErrorCategory From(PodManagerErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
}
