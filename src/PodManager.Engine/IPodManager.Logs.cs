using PodManager.Engine.Logs;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>One container's log (the seed's read_pod_logs); following, every line exactly once until the container ends.</summary>
    IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, LogRequest request, CancellationToken cancellationToken);

    /// <summary>Several containers' logs, read at once and merged in timestamp order.</summary>
    IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, IReadOnlyList<string> containers, LogRequest request, CancellationToken cancellationToken);

    /// <summary>One container's log straight to a stream, as bytes (Get-KPodLog -OutFile); returns the number of lines.</summary>
    Task<long> CopyPodLogAsync(string ns, string name, LogRequest request, Stream destination, CancellationToken cancellationToken);

    /// <summary>The seed's fetch_container_logs: each line to <paramref name="onLine"/>, then whether the container still runs.</summary>
    Task<PodLoggingStatus> FetchContainerLogsAsync(string ns, string name, string container, bool follow, DateTimeOffset? sinceTime, Action<KPodLogLine> onLine, CancellationToken cancellationToken);

    /// <summary>The pod's container names, init containers first, without the XCom sidecar unless asked (the seed's get_container_names).</summary>
    Task<IReadOnlyList<string>> GetContainerNamesAsync(string ns, string name, CancellationToken cancellationToken, bool includeXComSidecar = false);
}
