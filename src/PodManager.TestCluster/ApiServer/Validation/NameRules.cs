using System.Text.RegularExpressions;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>The name and label rules of k8s.io/apimachinery/pkg/util/validation, returning the real messages.</summary>
internal static partial class NameRules
{
    private const string LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainPattern = LabelPattern + @"(\." + LabelPattern + ")*";
    private const string QualifiedNamePattern = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValuePattern = "(" + QualifiedNamePattern + ")?";
    private const string EnvVarNamePattern = "[-._a-zA-Z][-._a-zA-Z0-9]*";

    /// <summary>Errors of a DNS-1123 subdomain (pod, ConfigMap and Secret names), empty when valid.</summary>
    public static IReadOnlyList<string> Dns1123Subdomain(string value) =>
        Check(value, 253, SubdomainRegex(), "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + SubdomainPattern + "')");

    /// <summary>Errors of a DNS-1123 label (container and namespace names), empty when valid.</summary>
    public static IReadOnlyList<string> Dns1123Label(string value) =>
        Check(value, 63, LabelRegex(), "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '" + LabelPattern + "')");

    /// <summary>Errors of a qualified name such as a label key (<c>prefix/name</c>).</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        var name = parts[^1];
        if (parts.Length > 2)
        {
            errors.Add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" + QualifiedNamePattern + "') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errors;
        }

        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
            {
                errors.Add("prefix part must be non-empty");
            }
            else
            {
                errors.AddRange(Dns1123Subdomain(parts[0]).Select(e => "prefix part " + e));
            }
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            errors.Add("name part must be no more than 63 characters");
        }

        if (name.Length > 0 && !QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" + QualifiedNamePattern + "')");
        }

        return errors;
    }

    public static IReadOnlyList<string> LabelValue(string value) =>
        Check(value, 63, LabelValueRegex(), "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '" + LabelValuePattern + "')");

    public static IReadOnlyList<string> EnvVarName(string value) =>
        EnvVarNameRegex().IsMatch(value)
            ? []
            : ["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '" + EnvVarNamePattern + "')"];

    private static List<string> Check(string value, int maxLength, Regex pattern, string patternMessage)
    {
        var errors = new List<string>();
        if (value.Length > maxLength)
        {
            errors.Add($"must be no more than {maxLength} characters");
        }

        if (!pattern.IsMatch(value))
        {
            errors.Add(patternMessage);
        }

        return errors;
    }

    [GeneratedRegex("^" + LabelPattern + "$")]
    private static partial Regex LabelRegex();

    [GeneratedRegex("^" + SubdomainPattern + "$")]
    private static partial Regex SubdomainRegex();

    [GeneratedRegex("^" + QualifiedNamePattern + "$")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValuePattern + "$")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + EnvVarNamePattern + "$")]
    private static partial Regex EnvVarNameRegex();
}
