using PodManager.TestCluster.ApiServer.Authorization;

namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>
/// The impersonation filter (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): <c>Impersonate-User</c> and
/// <c>Impersonate-Group</c> headers (what <c>kubectl --as</c> and <c>--as-group</c> and a kubeconfig's <c>as:</c>
/// send) make the request run as that user, once the caller is allowed to <c>impersonate</c> the
/// <c>users</c> (or <c>serviceaccounts</c>) and <c>groups</c> named. The impersonated user is also in
/// <c>system:authenticated</c>.
/// </summary>
internal static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";

    public static UserInfo Apply(HttpRequest request, UserInfo caller, RbacAuthorizer authorizer)
    {
        var user = request.Headers[UserHeader].ToString();
        var groups = request.Headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (user.Length == 0)
        {
            return groups.Count == 0 ? caller : throw ApiErrors.BadRequest($"requested {string.Join(", ", groups.Select(g => $"{{Group {g}}}"))} without impersonating a user");
        }

        var serviceAccount = user.Split(':') is ["system", "serviceaccount", var ns, var name] ? (ns, name) : default;
        Require(authorizer, caller, serviceAccount.ns is null
            ? new RequestInfo("impersonate", "users", null, null, user, IsResourceRequest: true)
            : new RequestInfo("impersonate", "serviceaccounts", null, serviceAccount.ns, serviceAccount.name, IsResourceRequest: true));
        foreach (var group in groups)
        {
            Require(authorizer, caller, new RequestInfo("impersonate", "groups", null, null, group, IsResourceRequest: true));
        }

        return UserInfo.Create(user, groups);
    }

    private static void Require(RbacAuthorizer authorizer, UserInfo caller, RequestInfo request)
    {
        var decision = authorizer.Authorize(caller, request);
        if (!decision.Allowed)
        {
            throw ApiErrors.Forbidden(caller.Name, request, decision.Reason);
        }
    }
}
