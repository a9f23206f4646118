namespace PodManager.TestCluster.ApiServer;

/// <summary>Ends a request with a Kubernetes <c>Status</c> error.</summary>
internal sealed class ApiException(ApiStatus status) : Exception(status.Message)
{
    public ApiStatus Status { get; } = status;
}
