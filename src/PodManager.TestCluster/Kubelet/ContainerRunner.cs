using System.Security.Cryptography;
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
/// read the events that explain it. The steps have their own types: <see cref="ImageManager"/> (pull),
/// <see cref="ContainerLaunchBuilder"/> (configuration), <see cref="ContainerTermination"/> (the terminated state),
/// <see cref="ContainerRestarts"/> (restart policy and back-off) and <see cref="ContainerLogs"/> (which run's log).
/// </summary>
internal sealed class ContainerRunner(PodWorker pod, ContainerRecord record)
{
    private readonly TaskCompletionSource firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private ContainerProcess? process;
    private int? stopSignal;
    private (int ExitCode, string Reason)? forcedExit;
    private Task completion = Task.CompletedTask;
    private ContainerLaunch? launch;

    public ContainerRecord Record => record;

    public string Name => record.Spec.Name;

    /// <summary>Completes when the container first runs, or when the runner gives up without running it.</summary>
    public Task FirstStart => firstStart.Task;

    /// <summary>The exit code of the last run, if any has ended.</summary>
    public int? LastExitCode { get; private set; }

    /// <summary>The host PID of the running container's PID 1, for exec.</summary>
    public int? HostPid
    {
        get
        {
            lock (gate)
            {
                return process?.HostPid;
            }
        }
    }

    /// <summary>How the current run was started (its environment and working directory), for exec.</summary>
    public ContainerLaunch? CurrentLaunch
    {
        get
        {
            lock (gate)
            {
                return process is null ? null : launch;
            }
        }
    }

    /// <summary>True while a process of this container exists (starting, running or being stopped).</summary>
    public bool HasProcess
    {
        get
        {
            lock (gate)
            {
                return process is not null;
            }
        }
    }

    /// <summary>Completes when the runner has stopped for good and recorded the last state.</summary>
    public Task Completion => completion;

    private KubeletContext Kubelet => pod.Kubelet;

    /// <summary>Starts the runner; it stops when the pod stops, when <see cref="RequestStop"/> is called, or when the
    /// restart policy says so.</summary>
    public Task Run(CancellationToken podStopping)
    {
        completion = RunAsync(podStopping);
        return completion;
    }

    /// <summary>No more restarts; the current process (or one about to start) gets <paramref name="signal"/>.</summary>
    public void RequestStop(int signal)
    {
        lock (gate)
        {
            stopSignal = signal;
            process?.Signal(signal);
        }

        stop.Cancel();
    }

    private async Task RunAsync(CancellationToken podStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(podStopping, stop.Token);
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
                await ImageManager.EnsureImageAsync(pod, record, stopping);
                var launch = ContainerLaunchBuilder.TryBuild(pod, record);
                if (launch is null)
                {
                    await Task.Delay(Kubelet.BackOff.Delay(Kubelet.BackOff.CrashLoopBase, ++configFailures), Kubelet.Time, stopping);
                    continue;
                }

                configFailures = 0;
                var ran = await RunOnceAsync(launch);
                if (stopping.IsCancellationRequested || !ContainerRestarts.ShouldRestart(pod.Pod, record.Role, LastExitCode ?? 0))
                {
                    return;
                }

                crashes = ran >= Kubelet.BackOff.ResetAfter ? 1 : crashes + 1;
                if (crashes > 1)
                {
                    await ContainerRestarts.BackOffAsync(pod, record, crashes - 1, stopping);
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
            firstStart.TrySetResult();
        }
    }

    /// <summary>Kills the running container and records the given exit code and reason (e.g. 137, OOMKilled).</summary>
    public bool Terminate(int exitCode, string reason)
    {
        lock (gate)
        {
            if (this.process is not { } process)
            {
                return false;
            }

            forcedExit = (exitCode, reason);
            process.Signal(NativeMethods.SigKill);
            return true;
        }
    }

    /// <summary>The run whose log a request should read (see <see cref="ContainerLogs"/>).</summary>
    public LogFile ResolveLog(string podName, bool previous)
    {
        lock (pod.Gate)
        {
            return ContainerLogs.Resolve(record, podName, previous);
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
        lock (gate)
        {
            this.process = process;
            this.launch = launch;
            if (stopSignal is { } signal)
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
            firstStart.TrySetResult();
        }

        var exitCode = await process.Exited;
        var ran = Kubelet.Time.GetElapsedTime(started);
        lock (gate)
        {
            this.process = null;
        }

        (int ExitCode, string Reason)? forced = null;
        if (startError is null)
        {
            forced = forcedExit;
            forcedExit = null;
        }

        var terminated = ContainerTermination.State(record.Spec, exitCode, startError, forced, startedAt, Timestamps.Seconds(Kubelet.Time), containerId, launch, log);
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
}
