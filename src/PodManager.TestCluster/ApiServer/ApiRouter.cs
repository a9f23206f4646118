using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Maps API paths to handlers: version and discovery, then <c>/api/v1/…</c> for namespaced and cluster-scoped
/// kinds (collections, items, subresources, and the legacy <c>/watch/</c> prefix). Anything else is the 404
/// Status of an unknown path.
/// </summary>
internal sealed class ApiRouter(IReadOnlyList<IResourceApi> resources, IReadOnlyDictionary<string, RequestDelegate> extraRoutes)
{
    private readonly DiscoveryDocuments discovery = new(resources.Select(r => r.Info).ToList());
    private readonly OpenApiDocuments openApi = new(resources.Select(r => r.Info).ToList());
    private readonly Dictionary<string, IResourceApi> byName = resources.ToDictionary(r => r.Info.Plural);

    public async Task RouteAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && extraRoutes.TryGetValue(segments[0], out var extra))
        {
            await extra(context);
            return;
        }

        switch (segments)
        {
            case ["version"]:
                await ApiResponses.WriteJsonAsync(context, 200, DiscoveryDocuments.Version(), cancellationToken);
                return;
            case ["healthz" or "livez" or "readyz", ..]:
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("ok", cancellationToken);
                return;
            case ["api" or "apis"]:
                await WriteDiscoveryAsync(context, core: segments[0] == "api", cancellationToken);
                return;
            case ["openapi", "v3"]:
                await ApiResponses.WriteJsonAsync(context, 200, openApi.Index, cancellationToken);
                return;
            case ["openapi", "v3", .. var groupVersion] when openApi.Document(string.Join('/', groupVersion)) is { } document:
                await ApiResponses.WriteJsonAsync(context, 200, document, cancellationToken);
                return;
            case ["api", "v1"]:
                await ApiResponses.WriteJsonAsync(context, 200, discovery.ResourceList(), cancellationToken);
                return;
            case ["api", "v1", .. var rest] when rest.Length > 0:
                await RouteResourceAsync(context, rest, cancellationToken);
                return;
            default:
                throw ApiErrors.PathNotFound();
        }
    }

    private async Task WriteDiscoveryAsync(HttpContext context, bool core, CancellationToken cancellationToken)
    {
        if (DiscoveryDocuments.AggregatedTypeRequested(context.Request) is { } aggregated)
        {
            await ApiResponses.WriteJsonAsync(context, 200, discovery.Aggregated(core, aggregated), cancellationToken, aggregated);
            return;
        }

        await ApiResponses.WriteJsonAsync(context, 200, core ? DiscoveryDocuments.ApiVersions() : DiscoveryDocuments.GroupList(), cancellationToken);
    }

    private Task RouteResourceAsync(HttpContext context, string[] rest, CancellationToken cancellationToken)
    {
        var watchPath = rest[0] == "watch";
        if (watchPath)
        {
            rest = rest[1..];
        }

        if (rest is ["namespaces", var namespaceName, var resource, .. var inside] && byName.TryGetValue(resource, out var namespaced) && namespaced.Info.Namespaced)
        {
            return inside switch
            {
                [] => namespaced.HandleCollectionAsync(context, namespaceName, watchPath, cancellationToken),
                [var name] => namespaced.HandleItemAsync(context, namespaceName, name, watchPath, cancellationToken),
                [var name, var subresource] when !watchPath => namespaced.HandleSubresourceAsync(context, namespaceName, name, subresource, cancellationToken),
                _ => throw ApiErrors.PathNotFound(),
            };
        }

        if (rest.Length == 0 || !byName.TryGetValue(rest[0], out var api))
        {
            throw ApiErrors.PathNotFound();
        }

        return (rest, api.Info.Namespaced) switch
        {
            ([_], _) => api.HandleCollectionAsync(context, null, watchPath, cancellationToken),
            ([_, var name], false) => api.HandleItemAsync(context, null, name, watchPath, cancellationToken),
            ([_, var name, var subresource], false) when !watchPath => api.HandleSubresourceAsync(context, null, name, subresource, cancellationToken),
            _ => throw ApiErrors.PathNotFound(),
        };
    }
}
