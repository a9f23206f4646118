using PodManager.Engine.Resilience;

namespace PodManager.Engine;

/// <summary>Tunables of one engine; the defaults are the production values documented in docs/engine.md.</summary>
public sealed record PodManagerOptions
{
    public RetryOptions Retry { get; init; } = RetryOptions.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long an idle namespace watch stays open for the next waiter (a pipeline's next cmdlet).</summary>
    public TimeSpan InformerLinger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The server ends each watch after this long and the informer resumes it; client-go uses 5 to 10 minutes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the API server may stay unreachable (no answer, or only 429/5xx) before every wait on it fails
    /// with ClusterUnreachable; shorter outages (a control-plane upgrade, a restart) are ridden out.
    /// </summary>
    public TimeSpan UnreachableTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a pod may wait for a node (the KubernetesPodOperator's schedule_timeout_seconds).</summary>
    public TimeSpan ScheduleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a scheduled pod may take to start its containers (the KubernetesPodOperator's startup_timeout_seconds).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>CreateContainerConfigError is fatal only after this long: the missing ConfigMap or Secret may be on its way.</summary>
    public TimeSpan ConfigErrorGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a log follow whose stream has ended waits for the shared watch to report the container's end before
    /// it reads the pod itself: the stream usually ends because the container did, and the watch says so moments later.
    /// </summary>
    public TimeSpan FollowEndGrace { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long a log follow waits on a silent stream after its container has ended before it gives the stream up
    /// and reads the rest of the log with plain reads: a kubelet or proxy may keep the stream open after the end.
    /// </summary>
    public TimeSpan FollowIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long extraction waits for the XCom sidecar to run (Airflow's 900 s in await_xcom_sidecar_container_start).</summary>
    public TimeSpan XComSidecarStartTimeout { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>The XCom sidecar's image when a run names none; pinned (the operator's default is a bare <c>alpine</c>).</summary>
    public string XComSidecarImage { get; init; } = XCom.XComDefaults.DefaultImage;

    /// <summary>
    /// How often a wait reads its pod when the credentials may neither list nor watch it (no <c>list</c>/<c>watch</c> on
    /// pods, not even for one name): the last resort, one GET per wait per interval.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public static PodManagerOptions Default { get; } = new();
}
