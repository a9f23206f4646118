namespace PodManager;

/// <summary>
/// An entry of the <see cref="ErrorIds"/> catalog: a stable error id and the category it is always raised with.
/// Only the catalog makes entries.
/// </summary>
public sealed class ErrorId
{
    internal ErrorId(string name, PodManagerErrorCategory category)
    {
        Name = name;
        Category = category;
    }

    /// <summary>The id, as the first part of an ErrorRecord's FullyQualifiedErrorId: PodFailed, PodNotFound ...</summary>
    public string Name { get; }

    public PodManagerErrorCategory Category { get; }

    public override string ToString() => Name;
}
