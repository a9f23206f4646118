namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>The REST surface of one kind, as the router sees it.</summary>
internal interface IResourceApi
{
    ResourceInfo Info { get; }

    Task HandleCollectionAsync(HttpContext context, string? namespaceName, bool watchPath, CancellationToken cancellationToken);

    Task HandleItemAsync(HttpContext context, string? namespaceName, string name, bool watchPath, CancellationToken cancellationToken);

    Task HandleSubresourceAsync(HttpContext context, string? namespaceName, string name, string subresource, CancellationToken cancellationToken);
}
