using System.Text;

namespace PodManager.TestCluster.ApiServer.Selectors;

internal sealed record FieldRequirement(string Field, string Value, bool Negated);

/// <summary>
/// A field selector (<c>=</c>, <c>==</c>, <c>!=</c>, comma means AND, backslash escapes) as parsed by
/// k8s.io/apimachinery/pkg/fields. Fields are checked against what the kind supports when it is applied.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(text, term));
        }

        return new FieldSelector(requirements);
    }

    private static FieldRequirement ParseTerm(string selector, string term)
    {
        foreach (var (op, negated) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var index = IndexOfUnescaped(term, op);
            if (index > 0)
            {
                var field = term[..index].Trim();
                var value = Unescape(term[(index + op.Length)..]);
                return new FieldRequirement(field, value, negated);
            }
        }

        throw ApiErrors.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static int IndexOfUnescaped(string term, string op)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
            }
            else if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
