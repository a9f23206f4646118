using System.Text;
using k8s.Models;
using PodManager.Engine.Diagnosis;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>
    /// Runs a command in a container and returns its exit code and output; <paramref name="stdin"/> is sent, then closed.
    /// A container that has not started yet (a pod just created, a sidecar after a fast base container) is waited
    /// for on the shared watch, up to <paramref name="startTimeout"/> (the startup timeout by default); one that has
    /// ended, or does not exist, is an error of its own (ContainerNotRunning, ContainerNotFound).
    /// </summary>
    public async Task<KExecResult> ExecAsync(string ns, string name, string? container, IReadOnlyList<string> command, string? stdin, TimeSpan? startTimeout, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                "The command is empty. Give the program and its arguments, e.g. -Command 'sh', '-c', 'ls /'.");
        }

        var target = await AwaitContainerRunningAsync(ns, name, container, startTimeout ?? Options.StartupTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return await executor.ExecAsync(ns, name, target, command, stdin is null ? null : Encoding.UTF8.GetBytes(stdin), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or PodManagerException))
        {
            // The container may have ended between the watch's word and the connection: say that, not "bad request".
            if (await TryReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } pod && ContainerEnded(pod, target) is { } ended)
            {
                throw ended;
            }

            throw Translate(e, $"running '{string.Join(' ', command)}' in container '{target}' of pod {ns}/{name}", ErrorIds.PodNotFound);
        }
    }

    /// <summary>Waits on the shared watch until the container runs, and returns its name (the base container's when none is given).</summary>
    private Task<string> AwaitContainerRunningAsync(string ns, string name, string? container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        V1Pod? last = null;
        return WithTimeoutAsync(
            timeout,
            async token =>
            {
                using var watch = await WatchPodAsync(ns, name, token).ConfigureAwait(false);
                var guard = new LaunchGuard(Options.TimeProvider, Options.ConfigErrorGrace, ct => ReadPodEventsAsync(ns, name, ct));
                while (true)
                {
                    var pod = last = watch.Current ?? throw PodNotFound(ns, name, " (it does not exist, or was deleted while the command waited for its container)");
                    var target = ResolveContainer(pod, container);
                    if (ContainerHelpers.ContainerIsRunning(pod, target))
                    {
                        return target;
                    }

                    if (ContainerEnded(pod, target) is { } ended)
                    {
                        throw ended;
                    }

                    // A pod that can never start would keep the command waiting for nothing.
                    var (finding, recheckIn) = await guard.CheckAsync(pod, token).ConfigureAwait(false);
                    if (finding is not null)
                    {
                        throw await LaunchFailedAsync(pod, finding, token).ConfigureAwait(false);
                    }

                    await watch.NextAsync(recheckIn, token).ConfigureAwait(false);
                }
            },
            () => new PodManagerException(ErrorIds.ContainerStartTimeout,
                $"Container '{container ?? (last is null ? null : ContainerHelpers.BaseContainerName(last)) ?? "base"}' of pod {ns}/{name} was not running after {timeout.TotalSeconds:0} s{Waiting(last, container)}, so the command did not run. Raise -Timeout, or look at the pod's events (Get-KPodEvent).")
            {
                Pod = last is null ? null : ToKPod(last),
            },
            cancellationToken);
    }

    /// <summary>A ContainerNotRunning error when the container has ended for good (null while it may still run).</summary>
    private PodManagerException? ContainerEnded(V1Pod pod, string container)
    {
        var status = ContainerHelpers.GetContainerStatus(pod, container);
        var terminated = status?.State?.Terminated;
        var phase = KPodPhase(pod);
        if (!phase.IsTerminal() && (terminated is null || WillRestart(pod, container, terminated)))
        {
            return null;
        }

        var state = terminated is null
            ? $"the pod has ended ({phase}) and the container never ran"
            : $"it terminated with exit code {terminated.ExitCode}{(string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})")}";
        return new PodManagerException(ErrorIds.ContainerNotRunning,
            $"Container '{container}' of pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} is not running: {state}. A command runs only in a running container; run it while the pod runs (e.g. keep the container alive until the command has run).")
        {
            Pod = ToKPod(pod),
        };
    }

    // What the kubelet does with a terminated container: an init container that succeeded is done; otherwise the
    // container's own restart policy (sidecars), else the pod's, decides.
    private static bool WillRestart(V1Pod pod, string container, V1ContainerStateTerminated terminated)
    {
        var init = pod.Spec?.InitContainers?.FirstOrDefault(c => c.Name == container);
        if (init is not null && init.RestartPolicy != "Always" && terminated.ExitCode == 0)
        {
            return false;
        }

        return (init?.RestartPolicy ?? pod.Spec?.RestartPolicy ?? "Always") switch
        {
            "Always" => true,
            "OnFailure" => terminated.ExitCode != 0,
            _ => false,
        };
    }

    private static string Waiting(V1Pod? pod, string? container)
    {
        var target = container ?? (pod is null ? null : ContainerHelpers.BaseContainerName(pod));
        return target is not null && ContainerHelpers.GetContainerStatus(pod, target)?.State?.Waiting is { Reason: { Length: > 0 } reason }
            ? $" (it is waiting: {reason})"
            : "";
    }
}
