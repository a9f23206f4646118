using System.Globalization;

namespace PodManager.TestCluster.ApiServer.Selectors;

/// <summary>A recursive-descent parser over the token stream of the Go label selector lexer.</summary>
internal sealed class LabelSelectorParser
{
    private const string Specials = "!(),=<>";
    private readonly List<string> tokens;
    private int position;

    public LabelSelectorParser(string text) => tokens = Tokenize(text);

    public List<LabelRequirement> ParseAll()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            requirements.Add(ParseRequirement());
            if (Peek() is null)
            {
                return requirements;
            }

            Expect(",");
            if (Peek() is null)
            {
                throw new FormatException("found '', expected: identifier");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        if (Peek() == "!")
        {
            Next();
            return new LabelRequirement(ParseKey(), LabelOperator.DoesNotExist, []);
        }

        var key = ParseKey();
        var op = Peek();
        switch (op)
        {
            case null or ",":
                return new LabelRequirement(key, LabelOperator.Exists, []);
            case "=" or "==":
                Next();
                return new LabelRequirement(key, LabelOperator.Equals, [ParseValue()]);
            case "!=":
                Next();
                return new LabelRequirement(key, LabelOperator.NotEquals, [ParseValue()]);
            case "in" or "notin":
                Next();
                return new LabelRequirement(key, op == "in" ? LabelOperator.In : LabelOperator.NotIn, ParseValueSet());
            case ">" or "<":
                Next();
                var bound = ParseValue();
                if (!long.TryParse(bound, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw new FormatException($"for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return new LabelRequirement(key, op == ">" ? LabelOperator.GreaterThan : LabelOperator.LessThan, [bound]);
            default:
                throw new FormatException($"found '{op}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private List<string> ParseValueSet()
    {
        Expect("(");
        var values = new List<string>();
        if (Peek() == ")")
        {
            Next();
            return [string.Empty];
        }

        while (true)
        {
            values.Add(IsIdentifier(Peek()) ? Next()! : string.Empty);
            var separator = Next();
            if (separator == ")")
            {
                return values;
            }

            if (separator != ",")
            {
                throw new FormatException($"found '{separator}', expected: ',' or ')'");
            }
        }
    }

    private string ParseKey()
    {
        var key = Next();
        if (!IsIdentifier(key))
        {
            throw new FormatException($"found '{key}', expected: identifier");
        }

        LabelRules.ValidateKey(key!);
        return key!;
    }

    private string ParseValue()
    {
        var value = IsIdentifier(Peek()) ? Next()! : string.Empty;
        LabelRules.ValidateValue(value);
        return value;
    }

    private void Expect(string token)
    {
        var actual = Next();
        if (actual != token)
        {
            throw new FormatException($"found '{actual}', expected: '{token}'");
        }
    }

    private string? Peek() => position < tokens.Count ? tokens[position] : null;

    private string? Next() => position < tokens.Count ? tokens[position++] : null;

    private static bool IsIdentifier(string? token) => token is not null && token.Length > 0 && !Specials.Contains(token[0]);

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (Specials.Contains(c))
            {
                var twoChar = i + 1 < text.Length ? text.Substring(i, 2) : null;
                if (twoChar is "==" or "!=")
                {
                    tokens.Add(twoChar);
                    i += 2;
                }
                else
                {
                    tokens.Add(c.ToString());
                    i++;
                }
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !Specials.Contains(text[i]))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }
}
