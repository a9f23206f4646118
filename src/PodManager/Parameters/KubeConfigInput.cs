using System.Text.RegularExpressions;

namespace PodManager.Commands.Parameters;

/// <summary>
/// A kubeconfig given the wrong way round: its text where a path is expected (-KubeConfig), or a path, or its lines one
/// by one (Get-Content without -Raw), where the text is expected (-KubeConfigContent). Each is an error that says what
/// was given and what to give instead, and never repeats the text, which holds credentials.
/// </summary>
internal static partial class KubeConfigInput
{
    /// <summary>-KubeConfig given kubeconfig text (or its lines, which PowerShell joins with spaces into one string).</summary>
    public static PodManagerException? TextForPath(string value) =>
        IsText(value)
            ? new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-KubeConfig takes the path of a kubeconfig file, and was given kubeconfig text ({Size(value)}). Give the file's path to -KubeConfig, or the text to Connect-KCluster -KubeConfigContent (e.g. from a secret store: Connect-KCluster -KubeConfigContent (Get-Secret prod-kubeconfig -AsPlainText)).")
                { IsFatal = true }
            : null;

    /// <summary>-KubeConfigContent given several strings (Get-Content without -Raw), or the path of a file.</summary>
    /// <param name="resolve">Turns a PowerShell path into a file system path, to tell a path from text.</param>
    public static PodManagerException? NotText(IReadOnlyList<string> content, Func<string, string?> resolve)
    {
        if (content.Count > 1)
        {
            return new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-KubeConfigContent was given {content.Count} strings, one per line, as Get-Content without -Raw reads a file. Give the whole text as one string: -KubeConfigContent (Get-Content -Raw <file>), or give the file's path: Connect-KCluster -KubeConfig <file>.")
                { IsFatal = true };
        }

        var text = content.Count == 1 ? content[0].Trim() : "";
        return !IsText(text) && !text.StartsWith('{') && resolve(text) is { } path && File.Exists(path)
            ? new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-KubeConfigContent takes kubeconfig text, and was given the path of a file, '{text}'. Give the path to -KubeConfig: Connect-KCluster -KubeConfig '{text}', or read the text first: -KubeConfigContent (Get-Content -Raw '{text}').")
                { IsFatal = true }
            : null;
    }

    private static bool IsText(string value) => value.Contains('\n', StringComparison.Ordinal) || TopLevelKey().IsMatch(value);

    private static string Size(string value)
    {
        var lines = value.Split('\n').Length;
        return lines > 1 ? $"{lines} lines" : $"one line of {value.Length} characters, as PowerShell makes of Get-Content's lines given where one string is expected";
    }

    // The keys a kubeconfig starts with; a path has no "key:" followed by a space or its end.
    [GeneratedRegex(@"(^|\s)(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:(\s|$)")]
    private static partial Regex TopLevelKey();
}
