namespace PodManager.TestCluster.ApiServer.Selectors;

/// <summary>The fields of one kind that field selectors may use, and how to read them from an object.</summary>
internal sealed class FieldSet<T>
{
    private readonly IReadOnlyDictionary<string, Func<T, string?>> fields;

    public FieldSet(IReadOnlyDictionary<string, Func<T, string?>> fields) => this.fields = fields;

    /// <summary>Binds a parsed selector to this kind: a 400 for an unsupported field, else a predicate.</summary>
    public Func<T, bool> Bind(FieldSelector selector)
    {
        if (selector.IsEmpty)
        {
            return static _ => true;
        }

        var bound = selector.Requirements.Select(requirement =>
        {
            if (!fields.TryGetValue(requirement.Field, out var read))
            {
                throw ApiErrors.BadRequest($"field label not supported: {requirement.Field}");
            }

            return (Read: read, requirement.Value, requirement.Negated);
        }).ToList();
        return item => bound.All(b => (b.Read(item) ?? string.Empty) == b.Value != b.Negated);
    }
}
