using System.Runtime.CompilerServices;
using k8s.Models;
using PodManager.Engine.Logs;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Reads a container's log (the seed's read_pod_logs / fetch_container_logs). With <see cref="LogRequest.Follow"/>
    /// it first waits (on the shared watch) for the container to start, then streams every line exactly once until the container ends.
    /// </summary>
    public async IAsyncEnumerable<KPodLogLine> ReadPodLogsAsync(string ns, string name, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pod = request.Follow
            ? await AwaitContainerStartAsync(ns, name, request.Container, cancellationToken).ConfigureAwait(false)
            : await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var container = ResolveContainer(pod, request.Container);
        await foreach (var line in ReadLogLinesAsync(ns, name, container, request, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    private async IAsyncEnumerable<KPodLogLine> ReadLogLinesAsync(string ns, string name, string container, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = logReader.ReadAsync(ns, name, container, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                    throw Translate(e, $"reading the log of container '{container}' in pod {ns}/{name}", "PodNotFound");
                }

                yield return lines.Current;
            }
        }
    }

    private async Task<V1Pod> AwaitContainerStartAsync(string ns, string name, string? container, CancellationToken cancellationToken)
    {
        await foreach (var pod in ObserveAsync(ns, name, cancellationToken).ConfigureAwait(false))
        {
            if (pod is null)
            {
                break;
            }

            var target = ResolveContainer(pod, container);
            if (ContainerHelpers.ContainerIsRunning(pod, target) || ContainerHelpers.ContainerIsCompleted(pod, target) || KPodConverter.ParsePhase(pod.Status?.Phase).IsTerminal())
            {
                return pod;
            }
        }

        throw PodNotFound(ns, name);
    }

    private static string ResolveContainer(V1Pod pod, string? requested)
    {
        var names = (pod.Spec?.Containers ?? []).Select(c => c.Name).Concat((pod.Spec?.InitContainers ?? []).Select(c => c.Name)).ToList();
        if (requested is not null)
        {
            return names.Contains(requested)
                ? requested
                : throw new PodManagerException("ContainerNotFound", PodManagerErrorCategory.ObjectNotFound,
                    $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has no container '{requested}'. Its containers are: {string.Join(", ", names)}.");
        }

        return ContainerHelpers.BaseContainerName(pod)
            ?? throw new PodManagerException("ContainerNotFound", PodManagerErrorCategory.ObjectNotFound, $"Pod {pod.Metadata.Name} has no containers.");
    }
}
