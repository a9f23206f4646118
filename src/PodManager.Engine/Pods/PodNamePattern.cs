using System.Text;
using System.Text.RegularExpressions;

namespace PodManager.Engine.Pods;

/// <summary>
/// A pod name as PowerShell users write it: a literal, or a wildcard pattern with <c>*</c>, <c>?</c> and
/// <c>[a-z]</c> (a backtick escapes the next character), matched case-insensitively, as Get-ChildItem and
/// WildcardPattern do. The engine has no PowerShell reference, so the rule lives here.
/// </summary>
public sealed class PodNamePattern
{
    private readonly Regex? regex;

    private PodNamePattern(string text, Regex? regex)
    {
        Text = text;
        this.regex = regex;
    }

    public string Text { get; }

    /// <summary>Whether the text holds an unescaped <c>*</c>, <c>?</c> or <c>[</c>.</summary>
    public bool IsWildcard => regex is not null;

    /// <summary>The literal name: the text with its escapes removed.</summary>
    public string Literal => Unescape(Text);

    public static PodNamePattern Parse(string text) => new(text, HasWildcards(text) ? new Regex(ToRegex(text), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant) : null);

    public static bool HasWildcards(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '`':
                    i++;
                    break;
                case '*' or '?' or '[':
                    return true;
            }
        }

        return false;
    }

    public bool IsMatch(string name) => regex?.IsMatch(name) ?? string.Equals(name, Literal, StringComparison.Ordinal);

    private static string ToRegex(string pattern)
    {
        var result = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    result.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    result.Append(".*");
                    break;
                case '?':
                    result.Append('.');
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close && close > i + 1:
                    result.Append('[').Append(CharacterClass(pattern[(i + 1)..close])).Append(']');
                    i = close;
                    break;
                default:
                    result.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return result.Append('$').ToString();
    }

    // Inside brackets only a range (a-z) means something; every other character stands for itself.
    private static string CharacterClass(string members)
    {
        var result = new StringBuilder();
        for (var i = 0; i < members.Length; i++)
        {
            var c = members[i];
            var isRange = c == '-' && i > 0 && i < members.Length - 1;
            result.Append(isRange || char.IsLetterOrDigit(c) || c == '_' ? c.ToString() : "\\" + c);
        }

        return result.ToString();
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`' && i + 1 < text.Length)
            {
                i++;
            }

            result.Append(text[i]);
        }

        return result.ToString();
    }
}
