namespace PodManager.Commands.Parameters;

/// <summary>
/// Spots a whole command line given as the first element of -Command ('python -m app'): Kubernetes runs it as
/// a program of that whole name, which no image has, and the pod fails with a message about a missing file.
/// </summary>
internal static class CommandLines
{
    /// <summary>A warning when the program has a space or tab inside it (a Windows path such as C:\Program Files\... is left alone).</summary>
    /// <param name="withArgumentParameter">Whether the cmdlet takes the arguments in -Argument (New-KPod, Invoke-KPod, Invoke-KPodCommand) rather than in -Command.</param>
    public static string? Warning(IReadOnlyList<string>? command, bool withArgumentParameter)
    {
        var program = command is { Count: > 0 } ? command[0]?.Trim() : null;
        if (program is null || !program.Any(char.IsWhiteSpace) || IsWindowsPath(program))
        {
            return null;
        }

        var words = program.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var apart = withArgumentParameter
            ? $"-Command {Quote(words[0])} -Argument {string.Join(", ", words.Skip(1).Select(Quote))}"
            : $"-Command {string.Join(", ", words.Select(Quote))}";
        var shell = withArgumentParameter ? $"-Command sh -Argument '-c', {Quote(program)}" : $"-Command sh, -c, {Quote(program)}";
        return $"-Command '{command![0]}' is one string with spaces, which Kubernetes runs as a program of that whole name, not as a command line. "
            + $"Give the program and each argument apart ({apart}), or let a shell read the line ({shell}).";
    }

    private static bool IsWindowsPath(string program) =>
        program.Length > 2 && char.IsAsciiLetter(program[0]) && program[1] == ':' && program[2] is '\\' or '/';

    private static string Quote(string word) => $"'{word.Replace("'", "''", StringComparison.Ordinal)}'";
}
