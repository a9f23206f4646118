using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Runs one pod on the node, as the kubelet's pod worker does: accepts it, sets up its sandbox and volumes, runs
/// init containers in order (native sidecars keep running), then the containers, stops the sidecars when the
/// containers are done, and terminates it gracefully when it is deleted (SIGTERM, grace period, SIGKILL, final
/// statuses, then removal from the API). Every state change is published as the pod's status.
/// </summary>
internal sealed class PodWorker
{
    private static readonly TimeSpan EmptyDirCheckInterval = TimeSpan.FromSeconds(1);

    private readonly PodRuntime runtime;
    private readonly List<ContainerRunner> initRunners;
    private readonly List<ContainerRunner> runners;
    private readonly CancellationTokenSource stopping = new();
    private readonly Action<PodWorker> finished;
    private readonly Lock terminationGate = new();
    private Task lifecycle = Task.CompletedTask;
    private Task? termination;
    private DateTimeOffset killDeadline = DateTimeOffset.MaxValue;
    private TaskCompletionSource deadlineChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource activeDeadlineChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long activeDeadlineSeconds;
    private int failed;

    public PodWorker(V1Pod pod, KubeletContext kubelet, Action<PodWorker> finished)
    {
        Pod = pod;
        Kubelet = kubelet;
        this.finished = finished;
        Key = new ObjectKey(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        Sandbox = new PodSandbox(Path.Combine(kubelet.PodsDirectory, pod.Metadata.Uid), pod);
        string ImageOf(V1Container c) => ImageReference.Parse(c.Image)?.Normalized ?? c.Image;
        // Containers wait in PodInitializing while there are init containers to run, else in ContainerCreating.
        var initialReason = pod.Spec.InitContainers is { Count: > 0 } ? "PodInitializing" : "ContainerCreating";
        initRunners = (pod.Spec.InitContainers ?? [])
            .Select(c => new ContainerRunner(this, new ContainerRecord(c, c.RestartPolicy == "Always" ? ContainerRole.Sidecar : ContainerRole.Init, ImageOf(c), "PodInitializing")))
            .ToList();
        runners = pod.Spec.Containers.Select(c => new ContainerRunner(this, new ContainerRecord(c, ContainerRole.Regular, ImageOf(c), initialReason))).ToList();
        runtime = new PodRuntime(initRunners.Select(r => r.Record).ToList(), runners.Select(r => r.Record).ToList());
        activeDeadlineSeconds = pod.Spec.ActiveDeadlineSeconds ?? 0;
    }

    /// <summary>The pod as it was accepted; its spec does not change while it runs.</summary>
    public V1Pod Pod { get; }

    public KubeletContext Kubelet { get; }

    public ObjectKey Key { get; }

    public string Uid => Pod.Metadata.Uid;

    public PodSandbox Sandbox { get; }

    /// <summary>The containers' host name: <c>spec.hostname</c> or the pod name, cut to 63 characters as the kubelet does.</summary>
    public string Hostname
    {
        get
        {
            var name = Pod.Spec.Hostname ?? Pod.Metadata.Name;
            return name.Length <= 63 ? name : name[..63].TrimEnd('-', '.');
        }
    }

    /// <summary>Guards the container records and the pod runtime; status is published under it so updates keep their order.</summary>
    public Lock Gate { get; } = new();

    public string? PodIp
    {
        get
        {
            lock (Gate)
            {
                return runtime.PodIp;
            }
        }
    }

    private IEnumerable<ContainerRunner> AllRunners => initRunners.Concat(runners);

    public void Start() => lifecycle = Task.Run(RunAsync);

    public ContainerRunner? FindContainer(string name) => AllRunners.FirstOrDefault(r => r.Name == name);

    /// <summary>Applies a change to the records and publishes the resulting status.</summary>
    public void Update(Action change)
    {
        lock (Gate)
        {
            change();
            var now = Timestamps.Seconds(Kubelet.Time);
            Kubelet.Cluster.Pods.Mutate(Key, current =>
            {
                if (current.Metadata.Uid != Uid)
                {
                    return false;
                }

                current.Status = PodStatusBuilder.Build(current, runtime, now);
                return true;
            });
        }
    }

    public void Event(ContainerRecord? container, string type, string reason, string message) =>
        Kubelet.Events.Kubelet(Kubelet.Cluster.Pods.Get(Key)?.Value is { } current && current.Metadata.Uid == Uid ? current : Pod, container?.FieldPath, type, reason, message);

    /// <summary>Starts graceful termination for a deletion, or shortens the grace period of one under way.</summary>
    public void RequestDeletion(TimeSpan gracePeriod)
    {
        lock (terminationGate)
        {
            var deadline = Kubelet.Time.GetUtcNow() + gracePeriod;
            if (deadline < killDeadline)
            {
                killDeadline = deadline;
                Interlocked.Exchange(ref deadlineChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            termination ??= Task.Run(() => TerminateAsync(removeFromApi: true));
        }
    }

    /// <summary>Kills everything at once: the pod is already gone from the API, or the cluster is stopping.</summary>
    public Task KillAsync()
    {
        lock (terminationGate)
        {
            killDeadline = Kubelet.Time.GetUtcNow();
            Interlocked.Exchange(ref deadlineChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return termination ??= Task.Run(() => TerminateAsync(removeFromApi: false));
        }
    }

    /// <summary>Fails the pod in place (eviction, active deadline): the phase becomes Failed with the reason at once,
    /// the containers are stopped (SIGTERM, SIGKILL after <paramref name="gracePeriod"/>), and the pod object stays.
    /// Only the first failure counts.</summary>
    public async Task FailAsync(string reason, string message, string? disruptionReason, TimeSpan gracePeriod)
    {
        if (Interlocked.Exchange(ref failed, 1) == 1)
        {
            return;
        }

        Update(() =>
        {
            runtime.Reason = reason;
            runtime.Message = message;
            runtime.DisruptionReason = disruptionReason;
            runtime.TerminalPhase = "Failed";
        });
        await stopping.CancelAsync();
        await StopContainersAsync(AllRunners.ToList(), gracePeriod);
        await lifecycle;
    }

    /// <summary>Evicts the pod as the kubelet's eviction manager does (node pressure, an emptyDir over its size limit):
    /// an Evicted event, containers killed at once, phase Failed with reason Evicted and the DisruptionTarget
    /// condition; the pod object stays.</summary>
    public Task EvictAsync(string? message)
    {
        var text = message ?? "The node was low on resource: memory. Threshold quantity: 100Mi, available: 64Mi. ";
        Event(null, EventRecorder.Warning, "Evicted", text);
        return FailAsync("Evicted", text, "TerminationByKubelet", TimeSpan.Zero);
    }

    /// <summary>A changed <c>spec.activeDeadlineSeconds</c> of the pod in the API (it may be set or lowered while the pod runs).</summary>
    public void UpdateActiveDeadline(long? seconds)
    {
        if (Interlocked.Exchange(ref activeDeadlineSeconds, seconds ?? 0) != (seconds ?? 0))
        {
            Interlocked.Exchange(ref activeDeadlineChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        var stopping = this.stopping.Token;
        try
        {
            Update(() =>
            {
                runtime.StartTime = Timestamps.Seconds(Kubelet.Time);
                runtime.HostIp = Kubelet.Node.HostIp;
            });
            _ = EnforceActiveDeadlineAsync(Kubelet.Time.GetUtcNow(), stopping);
            await PrepareSandboxAsync(stopping);
            _ = EnforceEmptyDirLimitsAsync(stopping);
            if (!await RunInitContainersAsync(stopping))
            {
                await StopContainersAsync(initRunners, GracePeriod());
                return;
            }

            await Task.WhenAll(runners.Select(r => r.Run(stopping)));
            stopping.ThrowIfCancellationRequested();
            await StopContainersAsync(initRunners.Where(r => r.Record.Role == ContainerRole.Sidecar).Reverse().ToList(), GracePeriod());
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Termination took over; it stops the containers.
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A fault of the emulator itself: reported like the kubelet reports a failed pod sync, so the pod
            // can still be deleted.
            Event(null, EventRecorder.Warning, "FailedSync", $"error syncing pod: {error.Message}");
        }
        finally
        {
            Update(() => { });
        }
    }

    private async Task PrepareSandboxAsync(CancellationToken stopping)
    {
        for (var failures = 1; ; failures++)
        {
            if (Sandbox.PrepareVolumes(Kubelet, null) is not { } error)
            {
                break;
            }

            Event(null, EventRecorder.Warning, "FailedMount", error);
            await Task.Delay(Kubelet.BackOff.Delay(Kubelet.BackOff.CrashLoopBase, failures), Kubelet.Time, stopping);
        }

        var podIp = Kubelet.Node.NextPodIp();
        Update(() =>
        {
            runtime.SandboxReady = true;
            runtime.PodIp = podIp;
        });
    }

    /// <summary>Runs init containers in order; false when one failed for good. Sidecars are left running; their
    /// runners' <see cref="ContainerRunner.Completion"/> is awaited when they are stopped.</summary>
    private async Task<bool> RunInitContainersAsync(CancellationToken stopping)
    {
        foreach (var runner in initRunners)
        {
            if (runner.Record.Role == ContainerRole.Sidecar)
            {
                _ = runner.Run(stopping);
                await runner.FirstStart.WaitAsync(stopping);
                continue;
            }

            await runner.Run(stopping);
            stopping.ThrowIfCancellationRequested();
            if (runner.LastExitCode != 0)
            {
                return false;
            }
        }

        return true;
    }

    private async Task TerminateAsync(bool removeFromApi)
    {
        Update(() => runtime.Terminating = true);
        await stopping.CancelAsync();
        await StopContainersAsync(runners.Concat(initRunners.Where(r => r.Record.Role == ContainerRole.Init)).ToList(), null);
        await StopContainersAsync(initRunners.Where(r => r.Record.Role == ContainerRole.Sidecar).Reverse().ToList(), null);
        await lifecycle;
        Update(() => runtime.SandboxReady = false);
        if (removeFromApi)
        {
            Kubelet.Cluster.Pods.Delete(Key, stored => stored.Uid == Uid);
        }

        SafeDirectory.TryDelete(Sandbox.Directory);
        finished(this);
    }

    /// <summary>Stops the runners: no more restarts, SIGTERM to what runs, SIGKILL to what is left at the deadline
    /// (the given grace period from now, or the deletion deadline, which a later delete may shorten).</summary>
    private async Task StopContainersAsync(List<ContainerRunner> runners, TimeSpan? gracePeriod)
    {
        foreach (var runner in runners)
        {
            if (runner.HasProcess)
            {
                Event(runner.Record, EventRecorder.Normal, "Killing", $"Stopping container {runner.Name}");
            }

            runner.RequestStop(NativeMethods.SigTerm);
        }

        var stopped = Task.WhenAll(runners.Select(r => r.Completion));
        var fixedDeadline = gracePeriod is { } grace ? Kubelet.Time.GetUtcNow() + grace : (DateTimeOffset?)null;
        while (!stopped.IsCompleted)
        {
            Task changed;
            DateTimeOffset deadline;
            lock (terminationGate)
            {
                changed = deadlineChanged.Task;
                deadline = fixedDeadline ?? killDeadline;
            }

            var remaining = deadline - Kubelet.Time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var wake = new CancellationTokenSource();
            await Task.WhenAny(stopped, changed, Task.Delay(remaining, Kubelet.Time, wake.Token));
            await wake.CancelAsync();
        }

        foreach (var runner in runners)
        {
            runner.RequestStop(NativeMethods.SigKill);
        }

        await stopped;
    }

    private TimeSpan GracePeriod() => TimeSpan.FromSeconds(Pod.Spec.TerminationGracePeriodSeconds ?? 30);

    /// <summary>The kubelet's activeDeadlineHandler: once the pod has been active (since the kubelet accepted it) for
    /// <c>activeDeadlineSeconds</c>, a <c>DeadlineExceeded</c> event, phase Failed with reason DeadlineExceeded, and
    /// the containers stopped with the pod's grace period. The deadline follows updates of the pod.</summary>
    private async Task EnforceActiveDeadlineAsync(DateTimeOffset start, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var changed = Volatile.Read(ref activeDeadlineChanged).Task;
                var seconds = Interlocked.Read(ref activeDeadlineSeconds);
                var remaining = seconds > 0 ? start + TimeSpan.FromSeconds(seconds) - Kubelet.Time.GetUtcNow() : Timeout.InfiniteTimeSpan;
                if (seconds > 0 && remaining <= TimeSpan.Zero)
                {
                    break;
                }

                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                await Task.WhenAny(changed, Task.Delay(remaining, Kubelet.Time, wake.Token));
                await wake.CancelAsync();
                stopping.ThrowIfCancellationRequested();
            }

            const string message = "Pod was active on the node longer than the specified deadline";
            Event(null, EventRecorder.Normal, "DeadlineExceeded", message);
            await FailAsync("DeadlineExceeded", message, null, GracePeriod());
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The pod stopped first.
        }
    }

    /// <summary>The eviction manager's emptyDir check: an emptyDir volume whose content grows beyond its
    /// <c>sizeLimit</c> gets the pod evicted (checked every second, by the files' apparent size).</summary>
    private async Task EnforceEmptyDirLimitsAsync(CancellationToken stopping)
    {
        var limited = Sandbox.LimitedEmptyDirs().ToList();
        if (limited.Count == 0)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(EmptyDirCheckInterval, Kubelet.Time, stopping);
                foreach (var (name, path, limit) in limited)
                {
                    if (DiskUsage.Of(path) > limit.ToDecimal())
                    {
                        await EvictAsync($"Usage of EmptyDir volume \"{name}\" exceeds the limit \"{limit}\". ");
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The pod stopped.
        }
    }
}
