namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>A failed check: the short reason (<c>runAsNonRoot != true</c>) and the detail that names the offending
/// containers and values, as policy.CheckResult words them.</summary>
internal sealed record CheckResult(string Reason, string Detail)
{
    /// <summary>Go's <c>joinQuote</c>: <c>"a", "b"</c>.</summary>
    public static string JoinQuote(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? string.Empty : "\"" + string.Join("\", \"", list) + "\"";
    }

    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary><c>container "a"</c> or <c>containers "a", "b"</c>.</summary>
    public static string Containers(IReadOnlyCollection<string> names) => $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";

    /// <summary>A sorted, de-duplicated list, as Go's <c>sets.String.List()</c> returns it (ordinal order).</summary>
    public static List<string> Sorted(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Go's <c>%q</c> for the plain values admission quotes.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
