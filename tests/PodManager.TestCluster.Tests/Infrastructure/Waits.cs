using System.Globalization;
using k8s;
using k8s.Models;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>Waits driven by watches (never by sleeping), with generous timeouts for a loaded machine.</summary>
public static class Waits
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(90);

    /// <summary>Lists, then watches from the list's resourceVersion until the pod satisfies the condition.</summary>
    public static async Task<V1Pod> ForPodAsync(IKubernetes client, string ns, string name, Func<V1Pod, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Default);
        var selector = $"metadata.name={name}";
        var list = await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: selector, cancellationToken: cts.Token);
        if (list.Items.FirstOrDefault() is { } current && condition(current))
        {
            return current;
        }

        try
        {
            await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: selector, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                if (type != WatchEventType.Deleted && condition(pod))
                {
                    return pod;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Reported below with the pod's last state.
        }

        var last = (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: selector)).Items.FirstOrDefault();
        throw new TimeoutException($"Pod {ns}/{name} did not reach the expected state; last status: {(last is null ? "gone" : KubernetesJson.Serialize(last.Status))}");
    }

    public static Task<V1Pod> ForPhaseAsync(IKubernetes client, string ns, string name, string phase) =>
        ForPodAsync(client, ns, name, p => p.Status?.Phase == phase);

    public static Task<V1Pod> ForRunningAsync(IKubernetes client, string ns, string name) =>
        ForPodAsync(client, ns, name, p => p.Status?.ContainerStatuses?.Count > 0 && p.Status.ContainerStatuses.All(c => c.State?.Running is not null));

    public static Task<V1Pod> ForCompletionAsync(IKubernetes client, string ns, string name) =>
        ForPodAsync(client, ns, name, p => p.Status?.Phase is "Succeeded" or "Failed");

    /// <summary>Waits until the scheduler has marked the pod Unschedulable; returns the condition's message.</summary>
    public static async Task<string> ForUnschedulableAsync(IKubernetes client, string ns, string name)
    {
        var pod = await ForPodAsync(client, ns, name, p => p.Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Reason: "Unschedulable" }) == true);
        return pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Message;
    }

    /// <summary>Collects the pod's changes after <paramref name="resourceVersion"/> up to and including its DELETED event.</summary>
    public static async Task<List<(WatchEventType Type, V1Pod Pod)>> ChangesUntilDeletedAsync(IKubernetes client, string ns, string name, string resourceVersion)
    {
        using var cts = new CancellationTokenSource(Default);
        var changes = new List<(WatchEventType, V1Pod)>();
        await foreach (var change in client.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: $"metadata.name={name}", resourceVersion: resourceVersion, cancellationToken: cts.Token))
        {
            changes.Add(change);
            if (change.Item1 == WatchEventType.Deleted)
            {
                break;
            }
        }

        return changes;
    }

    /// <summary>Waits until the pod is gone from the API (its DELETED event).</summary>
    public static async Task ForDeletionAsync(IKubernetes client, string ns, string name, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Default);
        var selector = $"metadata.name={name}";
        var list = await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: selector, cancellationToken: cts.Token);
        if (list.Items.Count == 0)
        {
            return;
        }

        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: selector, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Deleted)
            {
                return;
            }
        }
    }

    /// <summary>Follows the pod's log until a line equal to <paramref name="expected"/> appears (e.g. a script saying
    /// it has installed its signal handlers).</summary>
    public static async Task ForLogLineAsync(IKubernetes client, string ns, string name, string expected)
    {
        using var cts = new CancellationTokenSource(Default);
        await ForRunningAsync(client, ns, name);
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(name, ns, follow: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The log of {ns}/{name} ended without the line '{expected}'.");
    }

    /// <summary>
    /// Follows a container's log until the line <paramref name="expected"/> appears, then waits until the clock has left
    /// the second the line was stamped in, and returns that next whole second: a sinceTime (which keeps whole seconds
    /// only) after the line and everything before it. The wait is for that state of the clock, which is what a test
    /// of sinceTime is about; lines the pod writes from then on are stamped at or after it.
    /// </summary>
    public static async Task<DateTime> SecondAfterLogLineAsync(IKubernetes client, string ns, string name, string container, string expected)
    {
        using var cts = new CancellationTokenSource(Default);
        await ForPodAsync(client, ns, name, p => p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container)?.State is { Waiting: null });
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(name, ns, container: container, follow: true, timestamps: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line[31..] == expected)
            {
                var stamp = DateTime.Parse(line[..30], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                var next = new DateTime(stamp.Ticks - (stamp.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
                while (DateTime.UtcNow < next)
                {
                    await Task.Delay(next - DateTime.UtcNow, cts.Token);
                }

                return next;
            }
        }

        throw new InvalidOperationException($"The log of {ns}/{name} ended without the line '{expected}'.");
    }

    /// <summary>Waits until a namespace is gone from the API.</summary>
    public static async Task ForNamespaceDeletionAsync(IKubernetes client, string name)
    {
        using var cts = new CancellationTokenSource(Default);
        var list = await client.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={name}", cancellationToken: cts.Token);
        if (list.Items.Count == 0)
        {
            return;
        }

        await foreach (var (type, _) in client.CoreV1.WatchListNamespaceAsync(fieldSelector: $"metadata.name={name}", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Deleted)
            {
                return;
            }
        }
    }

    /// <summary>Runs a command in a container and requires it to succeed (e.g. to let a waiting script go on).</summary>
    public static async Task ExecAsync(IKubernetes client, string ns, string name, string container, params string[] command)
    {
        using var cts = new CancellationTokenSource(Default);
        var exitCode = await client.NamespacedPodExecAsync(name, ns, container, command, false, (_, _, _) => Task.CompletedTask, cts.Token);
        Assert.Equal(0, exitCode);
    }

    /// <summary>Lets a container waiting in <see cref="Pods.AwaitRelease"/> go on: an exec that leaves its own PID in
    /// /tmp/go (written aside and renamed, so the file is never read half written).</summary>
    public static Task ReleaseAsync(IKubernetes client, string ns, string name, string container = "base") =>
        ExecAsync(client, ns, name, container, "sh", "-c", "echo $$ > /tmp/go.tmp && mv /tmp/go.tmp /tmp/go");

    /// <summary>Reads a pod's whole log (non-follow) as text.</summary>
    public static async Task<string> LogAsync(IKubernetes client, string ns, string name, string? container = null, bool previous = false)
    {
        using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(name, ns, container: container, previous: previous);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
