using PodManager.TestCluster.ApiServer.Selectors;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// What a request does, in the terms of the API server's RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request):
/// verb, API group and version, resource, subresource, namespace, name. Used for authorization, messages and request
/// counters.
/// </summary>
internal sealed record RequestInfo(
    string Verb,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    bool IsResourceRequest,
    string ApiGroup = "",
    string ApiVersion = "v1",
    string Path = "")
{
    /// <summary>The counter key, e.g. <c>create pods</c>, <c>watch pods</c> or <c>get pods/log</c>.</summary>
    public string CounterKey => IsResourceRequest
        ? $"{Verb} {(Subresource is null ? Resource : $"{Resource}/{Subresource}")}"
        : $"{Verb} {Resource}";

    public static RequestInfo Parse(string method, string path, IQueryCollection query)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int versionEnd;
        string group;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            versionEnd = 2;
            group = string.Empty;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            versionEnd = 3;
            group = segments[1];
        }
        else
        {
            return NonResource(method, path);
        }

        var version = segments[versionEnd - 1];
        var rest = segments.AsSpan(versionEnd);
        var isWatchPath = rest.Length > 0 && rest[0] == "watch";
        if (isWatchPath)
        {
            rest = rest[1..];
        }

        if (rest.Length == 0)
        {
            return NonResource(method, path);
        }

        string? namespaceName = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            namespaceName = rest[1];
            rest = rest[2..];
        }
        else if (rest[0] == "namespaces" && rest.Length == 2)
        {
            namespaceName = rest[1];
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var watch = isWatchPath || QueryParameters.GetBool(query, "watch");
        var verb = method switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };

        // A list or watch whose field selector pins metadata.name is authorized as a request for that one name, so
        // an RBAC rule with resourceNames can allow watching a single object.
        if (name is null && verb is "list" or "watch")
        {
            name = NameFromFieldSelector(QueryParameters.GetString(query, "fieldSelector"));
        }

        return new RequestInfo(verb, resource, subresource, namespaceName, name, true, group, version, path);
    }

    private static string? NameFromFieldSelector(string? fieldSelector)
    {
        try
        {
            var exact = FieldSelector.Parse(fieldSelector).Requirements.FirstOrDefault(r => r.Field == "metadata.name" && !r.Negated)?.Value;
            return exact is { Length: > 0 } && exact is not ("." or "..") && exact.IndexOfAny(['/', '%']) < 0 ? exact : null;
        }
        catch (ApiException)
        {
            // The list handler reports the bad selector.
            return null;
        }
    }

    private static RequestInfo NonResource(string method, string path) =>
        new(method.ToLowerInvariant(), path, null, null, null, false, Path: path);
}
