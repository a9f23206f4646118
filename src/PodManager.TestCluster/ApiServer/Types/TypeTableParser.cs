using System.Globalization;

namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>
/// Reads one type table (the format is described in this folder's README): <c>package NAME [APIVERSION]</c>, then
/// per type a line <c>Name [kind] [json=FORM]</c> and one indented line per field,
/// <c>jsonName number|- type [flags]</c>.
/// </summary>
internal static class TypeTableParser
{
    public static IEnumerable<ApiType> Parse(string text, string source)
    {
        string? package = null;
        string? apiVersion = null;
        (string Name, bool Kind, JsonForm Form)? header = null;
        var fields = new List<ApiField>();
        var lineNumber = 0;

        ApiType Finish() => new()
        {
            Name = $"{package}.{header!.Value.Name}",
            Package = package!,
            ApiVersion = apiVersion,
            IsKind = header.Value.Kind,
            Form = header.Value.Form,
            Fields = fields.ToList(),
        };

        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith("package ", StringComparison.Ordinal))
            {
                if (header is not null)
                {
                    yield return Finish();
                    header = null;
                    fields.Clear();
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                if (line.StartsWith("package ", StringComparison.Ordinal))
                {
                    package = words[1];
                    apiVersion = words.Length > 2 ? words[2] : null;
                }
                else if (!char.IsWhiteSpace(line[0]))
                {
                    header = (words[0], words.Contains("kind"), ParseForm(words.FirstOrDefault(w => w.StartsWith("json=", StringComparison.Ordinal))));
                }
                else
                {
                    fields.Add(ParseField(words, package!));
                }
            }
            catch (Exception error) when (error is FormatException or IndexOutOfRangeException or NullReferenceException)
            {
                throw new FormatException($"{source}:{lineNumber}: {error.Message} in '{line.Trim()}'", error);
            }
        }

        if (header is not null)
        {
            yield return Finish();
        }
    }

    private static JsonForm ParseForm(string? flag) => flag?["json=".Length..] switch
    {
        null => JsonForm.Fields,
        "date-time" => JsonForm.DateTime,
        "date-time-micro" => JsonForm.DateTimeMicro,
        "quantity" => JsonForm.Quantity,
        "int-or-string" => JsonForm.IntOrString,
        "object" => JsonForm.Object,
        "items" => JsonForm.Items,
        var other => throw new FormatException($"unknown JSON form '{other}'"),
    };

    private static ApiField ParseField(string[] words, string package)
    {
        var type = words[2];
        var isList = Strip(ref type, "[]");
        var isMap = Strip(ref type, "map[string]");
        var isPointer = Strip(ref type, "*");
        var scalar = type switch
        {
            "string" => Scalar.String,
            "int32" => Scalar.Int32,
            "int64" => Scalar.Int64,
            "bool" => Scalar.Bool,
            "bytes" => Scalar.Bytes,
            "double" => Scalar.Double,
            "any" => Scalar.Any,
            _ => Scalar.None,
        };
        var flags = words.Skip(3).ToList();
        string? Flag(string name) => flags.FirstOrDefault(f => f == name || f.StartsWith(name + "=", StringComparison.Ordinal)) is { } found
            ? found.Length > name.Length ? found[(name.Length + 1)..] : string.Empty
            : null;
        var list = Flag("list");
        var merge = Flag("merge");
        return new ApiField
        {
            JsonName = words[0],
            Number = words[1] == "-" ? 0 : int.Parse(words[1], CultureInfo.InvariantCulture),
            Scalar = scalar,
            TypeName = scalar == Scalar.None ? (type.Contains('.', StringComparison.Ordinal) ? type : $"{package}.{type}") : null,
            IsList = isList,
            IsMap = isMap,
            IsPointer = isPointer,
            IsInline = Flag("inline") is not null,
            IsRequired = Flag("required") is not null,
            Enum = Flag("enum")?.Split('|').Select(v => v == "\"\"" ? string.Empty : v).ToList(),
            ListType = list switch
            {
                null => ListType.Atomic,
                "set" => ListType.Set,
                _ when list.StartsWith("map(", StringComparison.Ordinal) => ListType.Map,
                _ => throw new FormatException($"unknown list type '{list}'"),
            },
            ListKeys = list?.StartsWith("map(", StringComparison.Ordinal) == true ? list[4..^1].Split(',') : [],
            PatchMerge = merge is not null,
            PatchMergeKey = string.IsNullOrEmpty(merge) ? null : merge,
        };
    }

    private static bool Strip(ref string type, string prefix)
    {
        if (!type.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        type = type[prefix.Length..];
        return true;
    }
}
