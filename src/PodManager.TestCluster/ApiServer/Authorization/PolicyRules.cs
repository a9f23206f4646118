using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>Whether an RBAC rule allows a request (RuleAllows and the helpers of k8s.io/component-helpers/auth/rbac).</summary>
internal static class PolicyRules
{
    private const string All = "*";

    public static bool Allows(V1PolicyRule rule, RequestInfo request)
    {
        if (!VerbMatches(rule, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return (rule.NonResourceURLs ?? []).Any(url => url == All || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        var combined = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return (rule.ApiGroups ?? []).Any(g => g == All || g == request.ApiGroup)
            && ResourceMatches(rule, combined, request.Subresource)
            && (rule.ResourceNames is null or { Count: 0 } || (!string.IsNullOrEmpty(request.Name) && rule.ResourceNames.Contains(request.Name)));
    }

    private static bool VerbMatches(V1PolicyRule rule, string verb) => (rule.Verbs ?? []).Any(v => v == All || v == verb);

    /// <summary><c>*</c>, the exact resource (<c>pods/log</c>), or <c>*/log</c> for a subresource of any resource.</summary>
    private static bool ResourceMatches(V1PolicyRule rule, string combined, string? subresource) =>
        (rule.Resources ?? []).Any(r => r == All || r == combined || (subresource is not null && r == $"*/{subresource}"));
}
