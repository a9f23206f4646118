using System.Text.Json;
using k8s.Models;
using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    private const int SigKillExitCode = 137;

    /// <summary>Waits until the XCom sidecar runs (Airflow's await_xcom_sidecar_container_start).</summary>
    public Task<V1Pod> AwaitXComSidecarStartAsync(string ns, string name, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var limit = timeout ?? Options.XComSidecarStartTimeout;
        return WithTimeoutAsync(
            limit,
            async token =>
            {
                using var watch = await WatchPodAsync(ns, name, token).ConfigureAwait(false);
                while (true)
                {
                    var pod = watch.Current ?? throw PodNotFound(ns, name, " (it was deleted before its result was read)");
                    if (!XComSidecar.HasSidecar(pod))
                    {
                        throw XComNotFound(pod);
                    }

                    if (ContainerHelpers.ContainerIsRunning(pod, XComDefaults.SidecarName))
                    {
                        return pod;
                    }

                    // A finished pod never starts a container again, so a sidecar that is not running there never will.
                    if (ContainerHelpers.ContainerIsCompleted(pod, XComDefaults.SidecarName) || KPodPhase(pod).IsTerminal())
                    {
                        throw new PodManagerException(ErrorIds.XComSidecarTerminated,
                            $"Xcom sidecar container is already terminated! Not possible to read xcom output of task. Pod {ns}/{name}: {DescribeSidecar(pod)}. The result can only be read while the sidecar runs, and reading it stops the sidecar.")
                        { Pod = ToKPod(pod) };
                    }

                    await watch.NextAsync(null, token).ConfigureAwait(false);
                }
            },
            () => new PodManagerException(ErrorIds.XComSidecarTimeout,
                $"Xcom sidecar container did not start within {limit.TotalMinutes:0.#} minutes (pod {ns}/{name}). Check its image and the pod events (Get-KPodEvent)."),
            cancellationToken);
    }

    /// <summary>
    /// Reads the pod's result once its base container has finished (a result read earlier could still be
    /// unwritten): from the XCom sidecar, which is then stopped, or from the base container's termination message.
    /// </summary>
    public async Task<XComResult> ReadResultAsync(string ns, string name, bool fromTerminationMessage, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!fromTerminationMessage)
        {
            var pod = await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (!XComSidecar.HasSidecar(pod))
            {
                throw XComNotFound(pod);
            }
        }

        await AwaitPodCompletionAsync(ns, name, timeout, cancellationToken).ConfigureAwait(false);
        return fromTerminationMessage
            ? await ReadXComFromTerminationMessageAsync(ns, name, cancellationToken).ConfigureAwait(false)
            : await ExtractXComAsync(ns, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the pod's result from the sidecar and then always stops the sidecar so the pod completes
    /// (Airflow's extract_xcom). A failed stop is a warning, not a failure (apache/airflow#71369).
    /// </summary>
    public async Task<XComResult> ExtractXComAsync(string ns, string name, CancellationToken cancellationToken)
    {
        await AwaitXComSidecarStartAsync(ns, name, null, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        string raw;
        try
        {
            var read = await ExecAsync(ns, name, XComDefaults.SidecarName, ["/bin/sh", "-c", XComDefaults.ReadCommand], null, null, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(read.StdErr))
            {
                warnings.Add($"Reading the XCom result of pod {ns}/{name} wrote to stderr: {read.StdErr.Trim()}");
            }

            if (read.ExitCode != 0)
            {
                throw new PodManagerException(ErrorIds.XComRetrievalFailed,
                    $"Failed to extract xcom from pod: {ns}/{name}. Reading {XComDefaults.ResultFile} exited with code {read.ExitCode}.");
            }

            raw = read.StdOut;
            if (!read.StdOutIsUtf8)
            {
                warnings.Add($"The XCom result of pod {ns}/{name} ({XComDefaults.ResultFile}) is not UTF-8: its bytes that are not became U+FFFD (\uFFFD) in the result. Write the result as UTF-8 JSON.");
            }
        }
        finally
        {
            if (await TryExtractXComKillAsync(ns, name).ConfigureAwait(false) is { } warning)
            {
                warnings.Add(warning);
            }
        }

        try
        {
            return new XComResult(ParseXCom(raw, ns, name, XComDefaults.ResultFile), warnings);
        }
        catch (PodManagerException error) when (warnings.Count > 0)
        {
            // The result is unusable and the error is all the caller sees: it must also say the sidecar may still run.
            throw new PodManagerException(ErrorIds.Of(error.ErrorId), $"{error.Message} {string.Join(" ", warnings)}", error.InnerException) { Pod = error.Pod };
        }
    }

    /// <summary>Stops the XCom sidecar with SIGINT, which it traps to exit 0 (Airflow's extract_xcom_kill).</summary>
    public async Task ExtractXComKillAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var kill = await ExecAsync(ns, name, XComDefaults.SidecarName, ["/bin/sh", "-c", XComDefaults.KillCommand], null, null, cancellationToken).ConfigureAwait(false);
        // 137 (SIGKILL) means the signal worked faster than the shell that sent it: the sidecar's main process
        // exited, and the kernel ended the rest of its PID namespace, that shell included.
        if (kill.ExitCode is not (0 or SigKillExitCode))
        {
            throw new PodManagerException(ErrorIds.XComKillFailed,
                $"Stopping the XCom sidecar of pod {ns}/{name} failed with exit code {kill.ExitCode}: {kill.StdErr.Trim()}");
        }
    }

    /// <summary>The sidecar-free mode: the base container writes its JSON result as its termination message.</summary>
    public async Task<XComResult> ReadXComFromTerminationMessageAsync(string ns, string name, CancellationToken cancellationToken, string? container = null)
    {
        var pod = await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var target = container ?? ContainerHelpers.BaseContainerName(pod)!;
        if (!ContainerHelpers.ContainerIsTerminated(pod, target))
        {
            throw new PodManagerException(ErrorIds.XComNotReady,
                $"Container '{target}' of pod {ns}/{name} has not terminated, so it has no termination message yet. Wait for it first (Wait-KPodCompletion).")
            { Pod = ToKPod(pod) };
        }

        var message = ContainerHelpers.GetContainerTerminationMessage(pod, target);
        return new XComResult(string.IsNullOrWhiteSpace(message) ? null : ParseXCom(message, ns, name, "the termination message"), []);
    }

    /// <summary>What became of the sidecar, e.g. "the sidecar terminated with exit code 137 (OOMKilled) at 2026-01-01T00:00:00Z".</summary>
    private static string DescribeSidecar(V1Pod pod)
    {
        var state = ContainerHelpers.GetContainerStatus(pod, XComDefaults.SidecarName)?.State;
        if (state?.Terminated is { } terminated)
        {
            var reason = string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})";
            var at = terminated.FinishedAt is { } finished ? $" at {finished.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}" : "";
            var message = string.IsNullOrWhiteSpace(terminated.Message) ? "" : $": {terminated.Message.Trim()}";
            return $"the sidecar terminated with exit code {terminated.ExitCode}{reason}{at}{message}";
        }

        var waiting = state?.Waiting?.Reason is { Length: > 0 } why ? $" (it was still waiting: {why})" : "";
        return $"the pod has finished (phase {pod.Status?.Phase}) and its sidecar never ran{waiting}";
    }

    private PodManagerException XComNotFound(V1Pod pod) =>
        new(ErrorIds.XComNotFound,
            $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has no '{XComDefaults.SidecarName}' container, so it has no XCom result to read. Create the pod with -XCom, or use -FromTerminationMessage.")
        { Pod = ToKPod(pod) };

    internal async Task<string?> TryExtractXComKillAsync(string ns, string name)
    {
        // Cleanup must run even when the caller was cancelled: a sidecar left running keeps the pod alive.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30), Options.TimeProvider);
        try
        {
            await ExtractXComKillAsync(ns, name, limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is PodManagerException or OperationCanceledException)
        {
            return $"Could not stop the XCom sidecar of pod {ns}/{name}; the result was read, but the pod may keep running until deleted: {e.Message}";
        }
    }

    private static string? ParseXCom(string raw, string ns, string name, string source)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw new PodManagerException(ErrorIds.XComRetrievalFailed, $"Failed to extract xcom from pod: {ns}/{name} ({source} gave nothing).");
        }

        if (text == XComDefaults.EmptyResult)
        {
            return null;
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
            return text;
        }
        catch (JsonException e)
        {
            var preview = text.Length > 200 ? text[..200] + "..." : text;
            throw new PodManagerException(ErrorIds.XComInvalidJson,
                $"The XCom result of pod {ns}/{name} ({source}) is not valid JSON: {e.Message} The result was: {preview}", e);
        }
    }
}
