namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>An authenticated user (k8s.io/apiserver/pkg/authentication/user): a name and groups. Every token user
/// is in <c>system:authenticated</c>; members of <c>system:masters</c> may do anything.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";

    public static UserInfo Create(string name, IEnumerable<string>? groups = null) =>
        new(name, [.. (groups ?? []).Where(g => g != Authenticated), Authenticated]);

    public bool IsInGroup(string group) => Groups.Contains(group);
}
