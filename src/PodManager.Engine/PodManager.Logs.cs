using System.Runtime.CompilerServices;
using k8s.Models;
using PodManager.Engine.Diagnosis;
using PodManager.Engine.Logs;
using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Reads a container's log (Airflow's read_pod_logs / fetch_container_logs). With <see cref="LogRequest.Follow"/>
    /// it first waits (on the shared watch) for the container to start, then streams every line exactly once until the container ends.
    /// </summary>
    public IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, LogRequest request, CancellationToken cancellationToken) =>
        ReadPodLogsAsync(ns, name, request, state: null, cancellationToken);

    private async IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, LogRequest request, LogSourceState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pod = request.Follow
            ? await AwaitContainerStartAsync(ns, name, request.Container, state, cancellationToken).ConfigureAwait(false)
            : await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var container = ResolveContainer(pod, request.Container);
        await foreach (var line in ReadLogLinesAsync(ns, name, container, request, state, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>
    /// The last <paramref name="lines"/> lines of a container's log, as text, for a failure's diagnosis and a run's result;
    /// none when the container never ran. A container that waits for its next start (a crash loop) gives its previous
    /// run's log, the one that ended.
    /// </summary>
    internal async Task<IReadOnlyList<string>> ReadLastLinesAsync(V1Pod pod, string container, int lines, CancellationToken cancellationToken)
    {
        var status = ContainerHelpers.GetContainerStatus(pod, container);
        if (status?.State?.Running is null && status?.State?.Terminated is null && status?.LastState?.Terminated is null)
        {
            return [];
        }

        var previous = status.State?.Running is null && status.State?.Terminated is null;
        var request = new LogRequest { Container = container, TailLines = lines, Previous = previous };
        var tail = new List<string>();
        // The pod is known already: one request, for the log alone.
        await foreach (var line in ReadLogLinesAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, container, request, state: null, cancellationToken).ConfigureAwait(false))
        {
            tail.Add(line.Message);
        }

        return tail;
    }

    /// <summary>
    /// Reads several containers of one pod concurrently, their lines merged in timestamp order (Airflow
    /// streams them one after another); following waits for each container to start, as for one.
    /// </summary>
    public async IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, IReadOnlyList<string> containers, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (containers.Count == 1)
        {
            await foreach (var line in ReadPodLogsAsync(ns, name, request with { Container = containers[0] }, cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }

            yield break;
        }

        var pod = await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        foreach (var container in containers)
        {
            ResolveContainer(pod, container);
        }

        var sources = containers
            .Select(c => (Func<LogSourceState, CancellationToken, IAsyncEnumerable<KPodLogLine>>)((state, token) => ReadPodLogsAsync(ns, name, request with { Container = c }, state, token)))
            .ToList();
        await foreach (var line in LogMerger.MergeAsync(sources, request.Follow, Options.TimeProvider, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>
    /// Writes a container's log to <paramref name="destination"/> as kubectl logs prints it (with the same
    /// following, resuming and exactly-once guarantees as <see cref="ReadPodLogsAsync(string, string, LogRequest, CancellationToken)"/>),
    /// straight from the received bytes: no object or string per line. Returns the number of lines written.
    /// </summary>
    public async Task<long> CopyPodLogAsync(string ns, string name, LogRequest request, Stream destination, CancellationToken cancellationToken)
    {
        var pod = request.Follow
            ? await AwaitContainerStartAsync(ns, name, request.Container, state: null, cancellationToken).ConfigureAwait(false)
            : await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var container = ResolveContainer(pod, request.Container);
        try
        {
            return await logReader.CopyAsync(ns, name, container, request, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or PodManagerException))
        {
            throw Translate(e, $"reading the log of container '{container}' in pod {ns}/{name}", ErrorIds.PodNotFound);
        }
    }

    /// <summary>
    /// Airflow's fetch_container_logs: hands each line to <paramref name="onLine"/> (following until the
    /// container ends when asked) and reports whether it still runs and when its last line was written.
    /// </summary>
    public async Task<PodLoggingStatus> FetchContainerLogsAsync(string ns, string name, string container, bool follow, DateTimeOffset? sinceTime, Action<KPodLogLine> onLine, CancellationToken cancellationToken)
    {
        DateTimeOffset? last = sinceTime;
        await foreach (var line in ReadPodLogsAsync(ns, name, new LogRequest { Container = container, Follow = follow, SinceTime = sinceTime }, cancellationToken).ConfigureAwait(false))
        {
            last = line.Timestamp ?? last;
            onLine(line);
        }

        var pod = await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return new PodLoggingStatus(ContainerHelpers.ContainerIsRunning(pod, container), last);
    }

    /// <summary>
    /// The names of the pod's containers, init containers first, as -AllContainers reads them: without the XCom
    /// sidecar, as Airflow's get_container_names, since it only idles and a follow of it would last until the
    /// result is read. Tab completion asks for it too (<paramref name="includeXComSidecar"/>).
    /// </summary>
    public async Task<IReadOnlyList<string>> GetContainerNamesAsync(string ns, string name, CancellationToken cancellationToken, bool includeXComSidecar = false)
    {
        var pod = await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return (pod.Spec?.InitContainers ?? []).Select(c => c.Name).Concat((pod.Spec?.Containers ?? []).Select(c => c.Name))
            .Where(c => includeXComSidecar || c != XComDefaults.SidecarName)
            .ToList();
    }

    private async IAsyncEnumerable<KPodLogLine> ReadLogLinesAsync(string ns, string name, string container, LogRequest request, LogSourceState? state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = logReader.ReadAsync(ns, name, container, request, state, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (lines.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await lines.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw Translate(e, $"reading the log of container '{container}' in pod {ns}/{name}", ErrorIds.PodNotFound);
                }

                yield return lines.Current;
            }
        }
    }

    /// <summary>
    /// Waits on the shared watch until the container has started (or the pod has ended). A pod that can never start (an
    /// image that cannot be pulled, a crash loop, a missing ConfigMap) fails with PodLaunchFailed, as the waits do,
    /// instead of keeping the follow waiting for ever.
    /// </summary>
    private async Task<V1Pod> AwaitContainerStartAsync(string ns, string name, string? container, LogSourceState? state, CancellationToken cancellationToken)
    {
        using var watch = await WatchPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var guard = new LaunchGuard(Options.TimeProvider, Options.ConfigErrorGrace, ct => ReadPodEventsAsync(ns, name, ct));
        while (true)
        {
            var pod = watch.Current ?? throw PodNotFound(ns, name);
            var target = ResolveContainer(pod, container);
            var started = ContainerHelpers.ContainerIsRunning(pod, target) || ContainerHelpers.ContainerIsCompleted(pod, target) || KPodConverter.ParsePhase(pod.Status?.Phase).IsTerminal();

            // A container that has not started has written nothing, so it need not hold other containers' lines back.
            state?.SetOpening(started);
            if (started)
            {
                return pod;
            }

            var (finding, recheckIn) = await guard.CheckAsync(pod, cancellationToken).ConfigureAwait(false);
            if (finding is not null)
            {
                throw await LaunchFailedAsync(pod, finding, cancellationToken).ConfigureAwait(false);
            }

            await watch.NextAsync(recheckIn, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ResolveContainer(V1Pod pod, string? requested)
    {
        var names = (pod.Spec?.Containers ?? []).Select(c => c.Name).Concat((pod.Spec?.InitContainers ?? []).Select(c => c.Name)).ToList();
        if (requested is not null)
        {
            return names.Contains(requested)
                ? requested
                : throw new PodManagerException(ErrorIds.ContainerNotFound,
                    $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has no container '{requested}'. Its containers are: {string.Join(", ", names)}. Give one of them with -Container.");
        }

        return ContainerHelpers.BaseContainerName(pod)
            ?? throw new PodManagerException(ErrorIds.ContainerNotFound, $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has no containers.");
    }
}
