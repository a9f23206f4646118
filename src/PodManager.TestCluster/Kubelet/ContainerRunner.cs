using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Runs one container of a pod for as long as its restart policy wants: pull, resolve configuration, start,
/// wait for the exit, record the terminated state and termination message, then restart (immediately the first
/// time, then with CrashLoopBackOff) or stop. A failure's events are recorded before the waiting state that shows it,
/// as the kubelet records them during its sync and publishes the status after it: a client that sees the state can
/// read the events that explain it.
/// </summary>
internal sealed class ContainerRunner(PodWorker pod, ContainerRecord record)
{
    private const int MaxTerminationMessageBytes = 4096;

    private readonly TaskCompletionSource _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private ContainerProcess? _process;
    private int? _stopSignal;
    private (int ExitCode, string Reason)? _forcedExit;
    private Task _completion = Task.CompletedTask;
    private ContainerLaunch? _launch;

    public ContainerRecord Record => record;

    public string Name => record.Spec.Name;

    /// <summary>Completes when the container first runs, or when the runner gives up without running it.</summary>
    public Task FirstStart => _firstStart.Task;

    /// <summary>The exit code of the last run, if any has ended.</summary>
    public int? LastExitCode { get; private set; }

    /// <summary>The host PID of the running container's PID 1, for exec.</summary>
    public int? HostPid
    {
        get
        {
            lock (_gate)
            {
                return _process?.HostPid;
            }
        }
    }

    /// <summary>How the current run was started (its environment and working directory), for exec.</summary>
    public ContainerLaunch? CurrentLaunch
    {
        get
        {
            lock (_gate)
            {
                return _process is null ? null : _launch;
            }
        }
    }

    /// <summary>True while a process of this container exists (starting, running or being stopped).</summary>
    public bool HasProcess
    {
        get
        {
            lock (_gate)
            {
                return _process is not null;
            }
        }
    }

    /// <summary>Completes when the runner has stopped for good and recorded the last state.</summary>
    public Task Completion => _completion;

    private KubeletContext Kubelet => pod.Kubelet;

    /// <summary>Starts the runner; it stops when the pod stops, when <see cref="RequestStop"/> is called, or when the
    /// restart policy says so.</summary>
    public Task Run(CancellationToken podStopping)
    {
        _completion = RunAsync(podStopping);
        return _completion;
    }

    /// <summary>No more restarts; the current process (or one about to start) gets <paramref name="signal"/>.</summary>
    public void RequestStop(int signal)
    {
        lock (_gate)
        {
            _stopSignal = signal;
            _process?.Signal(signal);
        }

        _stop.Cancel();
    }

    private async Task RunAsync(CancellationToken podStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(podStopping, _stop.Token);
        var stopping = linked.Token;
        pod.Update(() =>
        {
            if (record.Role == ContainerRole.Regular && record.State.Waiting?.Reason == "PodInitializing")
            {
                record.State = ContainerRecord.Waiting("ContainerCreating");
            }
        });
        try
        {
            var crashes = 0;
            var configFailures = 0;
            while (true)
            {
                stopping.ThrowIfCancellationRequested();
                await EnsureImageAsync(stopping);
                var launch = TryPrepareLaunch();
                if (launch is null)
                {
                    await Task.Delay(Kubelet.BackOff.Delay(Kubelet.BackOff.CrashLoopBase, ++configFailures), Kubelet.Time, stopping);
                    continue;
                }

                configFailures = 0;
                var ran = await RunOnceAsync(launch);
                if (stopping.IsCancellationRequested || !ShouldRestart(LastExitCode ?? 0))
                {
                    return;
                }

                crashes = ran >= Kubelet.BackOff.ResetAfter ? 1 : crashes + 1;
                if (crashes > 1)
                {
                    await BackOffAsync(crashes - 1, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while waiting (pull, back-off): nothing runs, the last state stands.
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A fault of the emulator itself (e.g. its disk): the container cannot run; say so and stop.
            pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {error.Message}");
            pod.Update(() => record.State = ContainerRecord.Waiting("RunContainerError", error.Message));
        }
        finally
        {
            _firstStart.TrySetResult();
        }
    }

    /// <summary>Kills the running container and records the given exit code and reason (e.g. 137, OOMKilled).</summary>
    public bool Terminate(int exitCode, string reason)
    {
        lock (_gate)
        {
            if (_process is not { } process)
            {
                return false;
            }

            _forcedExit = (exitCode, reason);
            process.Signal(NativeMethods.SigKill);
            return true;
        }
    }

    /// <summary>The run whose log a request should read, following the kubelet's validateContainerLogStatus.</summary>
    public LogFile ResolveLog(string podName, bool previous)
    {
        lock (pod.Gate)
        {
            var name = record.Spec.Name;
            var hasCurrent = record.State.Running is not null || record.State.Terminated is not null;
            var containerId = previous ? record.LastTerminated?.ContainerID : hasCurrent ? record.ContainerId : record.LastTerminated?.ContainerID;
            if (containerId is not null && record.Runs.FirstOrDefault(run => run.ContainerId == containerId) is { } run)
            {
                return run.Log;
            }

            if (previous)
            {
                throw new LogUnavailableException($"previous terminated container \"{name}\" in pod \"{podName}\" not found");
            }

            if (hasCurrent || record.LastTerminated is not null)
            {
                throw new LogUnavailableException($"container \"{name}\" in pod \"{podName}\" is terminated");
            }

            var reason = record.State.Waiting?.Reason;
            throw new LogUnavailableException(reason switch
            {
                "ErrImagePull" => $"container \"{name}\" in pod \"{podName}\" is waiting to start: image can't be pulled",
                "ImagePullBackOff" => $"container \"{name}\" in pod \"{podName}\" is waiting to start: trying and failing to pull image",
                { Length: > 0 } => $"container \"{name}\" in pod \"{podName}\" is waiting to start: {reason}",
                _ => $"container \"{name}\" in pod \"{podName}\" is waiting to start - no logs yet",
            });
        }
    }

    private async Task EnsureImageAsync(CancellationToken stopping)
    {
        var spec = record.Spec;
        if (ImageReference.Parse(spec.Image) is not { } image)
        {
            var message = $"Failed to apply default image tag \"{spec.Image}\": couldn't parse image name \"{spec.Image}\": invalid reference format";
            await StuckAsync("InvalidImageName", "InspectFailed", message, stopping);
            return;
        }

        var policy = spec.ImagePullPolicy ?? image.DefaultPullPolicy;
        if (policy != "Always" && Kubelet.Images.IsPresent(image))
        {
            pod.Event(record, EventRecorder.Normal, "Pulled", $"Container image \"{spec.Image}\" already present on machine");
            pod.Update(() => record.ImageId = image.ImageId);
            return;
        }

        if (policy == "Never")
        {
            await StuckAsync("ErrImageNeverPull", "ErrImageNeverPull", $"Container image \"{spec.Image}\" is not present with pull policy of Never", stopping);
            return;
        }

        for (var failures = 1; ; failures++)
        {
            pod.Event(record, EventRecorder.Normal, "Pulling", $"Pulling image \"{spec.Image}\"");
            var result = await Kubelet.Images.PullAsync(image, stopping);
            if (result.Succeeded)
            {
                pod.Event(record, EventRecorder.Normal, "Pulled", ImagePuller.PulledMessage(image, result.Duration));
                pod.Update(() => record.ImageId = image.ImageId);
                return;
            }

            pod.Event(record, EventRecorder.Warning, "Failed", $"Failed to pull image \"{spec.Image}\": {result.Error}");
            pod.Event(record, EventRecorder.Warning, "Failed", "Error: ErrImagePull");
            pod.Update(() => record.State = ContainerRecord.Waiting("ErrImagePull", result.Error));

            // The kubelet reports ErrImagePull until its next sync finds the image in back-off.
            var delay = Kubelet.BackOff.Delay(Kubelet.BackOff.ImagePullBase, failures);
            var shown = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, delay.Ticks / 2));
            await Task.Delay(shown, Kubelet.Time, stopping);
            var backOffMessage = $"Back-off pulling image \"{spec.Image}\"";
            pod.Event(record, EventRecorder.Normal, "BackOff", backOffMessage);
            pod.Event(record, EventRecorder.Warning, "Failed", "Error: ImagePullBackOff");
            pod.Update(() => record.State = ContainerRecord.Waiting("ImagePullBackOff", backOffMessage));
            await Task.Delay(delay - shown, Kubelet.Time, stopping);
        }
    }

    /// <summary>An image problem no retry can fix: the container waits with the reason until the pod goes away.</summary>
    private async Task StuckAsync(string reason, string eventReason, string message, CancellationToken stopping)
    {
        pod.Event(record, EventRecorder.Warning, eventReason, message);
        pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {reason}");
        pod.Update(() => record.State = ContainerRecord.Waiting(reason, message));
        await Task.Delay(Timeout.InfiniteTimeSpan, Kubelet.Time, stopping);
    }

    private ContainerLaunch? TryPrepareLaunch()
    {
        var runIndex = record.Runs.Count;
        var runDirectory = Path.Combine(pod.Sandbox.ContainerDirectory(Name), "runs", runIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var environment = Kubelet.Environment.Resolve(pod.Pod, record.Spec, pod.PodIp, pod.Hostname);
            var mounts = pod.Sandbox.MountsFor(record.Spec);
            var terminationLog = Path.Combine(runDirectory, "termination-log");
            Directory.CreateDirectory(runDirectory);
            File.WriteAllBytes(terminationLog, []);
            UnixFiles.SetMode(terminationLog, UnixFiles.WorldWritable);
            mounts.Add(new ContainerMount(terminationLog, record.Spec.TerminationMessagePath ?? "/dev/termination-log", ReadOnly: false, IsFile: true));
            if (Kubelet.Shell is { } shell)
            {
                mounts.Add(shell.Mount);
            }

            if (!mounts.Any(m => ContainerPath.Normalize(m.Target) == "/tmp"))
            {
                // A container's /tmp is its own, fresh with each run, as an image layer's would be.
                var tmp = Directory.CreateDirectory(Path.Combine(runDirectory, "tmp")).FullName;
                UnixFiles.SetMode(tmp, UnixFiles.WorldWritableDirectory | UnixFileMode.StickyBit);
                mounts.Add(new ContainerMount(tmp, "/tmp", ReadOnly: false));
            }

            return new ContainerLaunch(runDirectory, pod.Hostname, ContainerUser.For(pod.Pod, record.Spec), ContainerEnvironment.CommandLine(record.Spec, environment), environment, record.Spec.WorkingDir ?? "/", mounts);
        }
        catch (ContainerConfigException error)
        {
            pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {error.Message}");
            pod.Update(() => record.State = ContainerRecord.Waiting("CreateContainerConfigError", error.Message));
            return null;
        }
    }

    /// <summary>Starts one run and waits for its end; returns how long it ran.</summary>
    private async Task<TimeSpan> RunOnceAsync(ContainerLaunch launch)
    {
        var log = new LogFile(Path.Combine(pod.Sandbox.ContainerDirectory(Name), "logs", $"{record.Runs.Count}.log"));
        ContainerProcess process;
        try
        {
            process = await ContainerProcess.StartAsync(launch, log, Kubelet.Time, Kubelet.Launcher);
        }
        catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            log.Complete();
            log.Dispose();
            pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {error.Message}");
            pod.Update(() => record.State = ContainerRecord.Waiting("CreateContainerError", error.Message));
            LastExitCode = 128;
            return TimeSpan.Zero;
        }

        var containerId = "containerd://" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // The restart count and the last state change together, when the new run starts (or fails to).
        var runIndex = record.Runs.Count;
        pod.Update(() => record.Runs.Add(new ContainerRun(containerId, log)));
        lock (_gate)
        {
            _process = process;
            _launch = launch;
            if (_stopSignal is { } signal)
            {
                process.Signal(signal);
            }
        }

        pod.Event(record, EventRecorder.Normal, "Created", $"Created container {Name}");
        var startError = await process.Started;
        var startedAt = Timestamps.Seconds(Kubelet.Time);
        var started = Kubelet.Time.GetTimestamp();
        if (startError is null)
        {
            pod.Update(() =>
            {
                record.MoveToLastState();
                record.RestartCount = runIndex;
                record.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = startedAt } };
                record.ContainerId = containerId;
                record.Ready = true;
                record.Started = true;
            });
            pod.Event(record, EventRecorder.Normal, "Started", $"Started container {Name}");
            _firstStart.TrySetResult();
        }

        var exitCode = await process.Exited;
        var ran = Kubelet.Time.GetElapsedTime(started);
        lock (_gate)
        {
            _process = null;
        }

        var terminated = Terminated(exitCode, startError, startedAt, containerId, launch, log);
        LastExitCode = terminated.ExitCode;
        log.Dispose();
        pod.Update(() =>
        {
            if (startError is not null)
            {
                record.MoveToLastState();
                record.RestartCount = runIndex;
            }

            record.State = new V1ContainerState { Terminated = terminated };
            record.ContainerId = containerId;
            record.Ready = false;
            record.Started = false;
        });
        if (startError is not null)
        {
            pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {terminated.Message}");
        }

        PodSandbox.DeleteRun(launch.RunDirectory);
        return ran;
    }

    private V1ContainerStateTerminated Terminated(int exitCode, string? startError, DateTime startedAt, string containerId, ContainerLaunch launch, LogFile log)
    {
        var finishedAt = Timestamps.Seconds(Kubelet.Time);
        if (startError is not null)
        {
            return new V1ContainerStateTerminated
            {
                ExitCode = 128,
                Reason = "StartError",
                Message = $"failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {startError}: unknown",
                StartedAt = DateTime.UnixEpoch,
                FinishedAt = finishedAt,
                ContainerID = containerId,
            };
        }

        var forced = _forcedExit;
        _forcedExit = null;
        var code = forced?.ExitCode ?? exitCode;
        var message = ReadTerminationMessage(Path.Combine(launch.RunDirectory, "termination-log"));
        if (message.Length == 0 && code != 0 && record.Spec.TerminationMessagePolicy == "FallbackToLogsOnError")
        {
            message = log.Tail(80, 2048);
        }

        return new V1ContainerStateTerminated
        {
            ExitCode = code,
            Reason = forced?.Reason ?? (code == 0 ? "Completed" : "Error"),
            Message = message.Length == 0 ? null : message,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            ContainerID = containerId,
        };
    }

    private async Task BackOffAsync(int failures, CancellationToken stopping)
    {
        var delay = Kubelet.BackOff.Delay(Kubelet.BackOff.CrashLoopBase, failures);
        var podName = $"{pod.Pod.Metadata.Name}_{pod.Pod.Metadata.NamespaceProperty}({pod.Pod.Metadata.Uid})";
        pod.Event(record, EventRecorder.Warning, "BackOff", $"Back-off restarting failed container {Name} in pod {podName}");
        pod.Update(() =>
        {
            record.MoveToLastState();
            record.State = ContainerRecord.Waiting("CrashLoopBackOff", $"back-off {BackOffPolicy.Describe(delay)} restarting failed container={Name} pod={podName}");
        });
        await Task.Delay(delay, Kubelet.Time, stopping);
    }

    private bool ShouldRestart(int exitCode)
    {
        var podPolicy = pod.Pod.Spec.RestartPolicy ?? "Always";
        var policy = record.Role switch
        {
            ContainerRole.Sidecar => "Always",
            ContainerRole.Init => podPolicy == "Never" ? "Never" : "OnFailure",
            _ => podPolicy,
        };
        return policy == "Always" || (policy == "OnFailure" && exitCode != 0);
    }

    private static string ReadTerminationMessage(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = File.OpenRead(path);
        var buffer = new byte[MaxTerminationMessageBytes];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}

/// <summary>A container has no log to serve yet (or no previous run); the message is the kubelet's.</summary>
internal sealed class LogUnavailableException(string message) : Exception(message);
