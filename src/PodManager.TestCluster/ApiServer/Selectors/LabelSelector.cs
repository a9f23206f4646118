using System.Globalization;

namespace PodManager.TestCluster.ApiServer.Selectors;

/// <summary>
/// A label selector in the full string syntax of k8s.io/apimachinery/pkg/labels: <c>=</c>, <c>==</c>,
/// <c>!=</c>, <c>in (…)</c>, <c>notin (…)</c>, <c>key</c>, <c>!key</c>, <c>key&gt;N</c>, <c>key&lt;N</c>;
/// commas mean AND.
/// </summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<LabelRequirement> requirements;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => this.requirements = requirements;

    public bool IsEmpty => requirements.Count == 0;

    public bool Matches(IDictionary<string, string>? labels) => requirements.All(r => r.Matches(labels));

    /// <summary>Parses the selector, or throws a 400 BadRequest Status like the API server.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        try
        {
            return new LabelSelector(new LabelSelectorParser(text).ParseAll());
        }
        catch (FormatException error)
        {
            throw ApiErrors.BadRequest($"unable to parse requirement: {error.Message}");
        }
    }

    /// <summary>A selector from a labelSelector object: matchLabels and matchExpressions (In, NotIn, Exists,
    /// DoesNotExist), all of which must match (metav1.LabelSelectorAsSelector).</summary>
    public static LabelSelector FromObject(k8s.Models.V1LabelSelector selector) =>
        new([
            .. FromMatchLabels(selector.MatchLabels).requirements,
            .. (selector.MatchExpressions ?? []).Select(e => new LabelRequirement(e.Key, e.OperatorProperty switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                _ => LabelOperator.DoesNotExist,
            }, [.. e.Values ?? []])),
        ]);

    /// <summary>A selector from a labelSelector object's matchLabels (as used by node selectors).</summary>
    public static LabelSelector FromMatchLabels(IDictionary<string, string>? matchLabels) =>
        matchLabels is null or { Count: 0 }
            ? Everything
            : new LabelSelector(matchLabels.Select(p => new LabelRequirement(p.Key, LabelOperator.Equals, [p.Value])).ToList());
}

internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var present = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => present && Values.Contains(value),
            LabelOperator.NotEquals or LabelOperator.NotIn => !present || !Values.Contains(value),
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.GreaterThan => present && TryInteger(value) is { } greater && greater > long.Parse(Values[0], CultureInfo.InvariantCulture),
            LabelOperator.LessThan => present && TryInteger(value) is { } less && less < long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static long? TryInteger(string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
}
