namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// What a request does, in the terms of the API server's RequestInfoFactory (verb, resource, subresource,
/// namespace, name). Used for authorization messages and request counters.
/// </summary>
internal sealed record RequestInfo(string Verb, string Resource, string? Subresource, string? Namespace, string? Name, bool IsResourceRequest)
{
    /// <summary>The counter key, e.g. <c>create pods</c>, <c>watch pods</c> or <c>get pods/log</c>.</summary>
    public string CounterKey => IsResourceRequest
        ? $"{Verb} {(Subresource is null ? Resource : $"{Resource}/{Subresource}")}"
        : $"{Verb} {Resource}";

    public bool IsReadOnly => Verb is "get" or "list" or "watch" && Subresource is not ("exec" or "attach" or "portforward");

    public static RequestInfo Parse(string method, string path, IQueryCollection query)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int versionEnd;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            versionEnd = 2;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            versionEnd = 3;
        }
        else
        {
            return NonResource(method, path);
        }

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
        return new RequestInfo(verb, resource, subresource, namespaceName, name, true);
    }

    private static RequestInfo NonResource(string method, string path) =>
        new(method.ToLowerInvariant(), path, null, null, null, false);
}
