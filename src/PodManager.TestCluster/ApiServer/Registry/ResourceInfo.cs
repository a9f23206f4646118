namespace PodManager.TestCluster.ApiServer.Registry;

internal sealed record SubresourceInfo(string Name, string Kind, IReadOnlyList<string> Verbs);

/// <summary>How a kind appears in discovery and in messages. <paramref name="Group"/> is empty for the core group
/// (<c>/api/v1</c>); any other group is served under <c>/apis/{group}/{version}</c>. The kind's protobuf message and
/// OpenAPI schema are those of the type tables (ApiServer/Types) for its apiVersion and kind.</summary>
internal sealed record ResourceInfo(
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<SubresourceInfo> Subresources,
    string Group = "",
    string Version = "v1")
{
    public string ListKind => Kind + "List";

    /// <summary><c>v1</c> or <c>group/version</c>, as objects carry it.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The resource as messages name it: <c>pods</c>, <c>roles.rbac.authorization.k8s.io</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind as messages name it: <c>Pod</c>, <c>Role.rbac.authorization.k8s.io</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public static readonly IReadOnlyList<string> AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
