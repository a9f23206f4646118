namespace PodManager.TestCluster.ApiServer.Registry;

internal sealed record SubresourceInfo(string Name, string Kind, IReadOnlyList<string> Verbs);

/// <summary>How a kind appears in discovery and in messages.</summary>
internal sealed record ResourceInfo(
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<SubresourceInfo> Subresources)
{
    public string ListKind => Kind + "List";

    public static readonly IReadOnlyList<string> AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
