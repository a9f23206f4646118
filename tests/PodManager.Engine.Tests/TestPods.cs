using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Small pod templates the tests share; names are unique per call so tests never collide.</summary>
internal static class TestPods
{
    public static string UniqueName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static PodBuildOptions Shell(string script, string? name = null) => new()
    {
        Image = "alpine",
        Name = name ?? UniqueName(),
        Command = ["sh", "-c", script],
    };

    public static TimeSpan Generous { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A script step that waits until <see cref="ReleaseAsync"/> has run in the container and its process is gone: a
    /// container that ends while the releasing exec still runs takes it down with it (exit 137), as on a real node.
    /// </summary>
    public static string AwaitRelease(string marker = "/tmp/go") =>
        $"until [ -e {marker} ]; do sleep 0.05; done; while [ -e /proc/$(cat {marker}) ]; do sleep 0.05; done";

    /// <summary>Lets a container waiting in <see cref="AwaitRelease"/> go on: an exec that leaves its own PID in the
    /// marker (written aside and renamed, so the file is never read half written).</summary>
    public static async Task ReleaseAsync(PodManager manager, string name, string marker = "/tmp/go", string container = "base")
    {
        var result = await manager.ExecAsync("default", name, container, ["sh", "-c", $"echo $$ > {marker}.tmp && mv {marker}.tmp {marker}"], stdin: null, startTimeout: null, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>Waits on the pod's watch until it is in <paramref name="state"/>; a pod that goes away first fails the test.</summary>
    public static async Task<V1Pod> UntilAsync(PodManager manager, string name, Func<V1Pod, bool> state)
    {
        using var limit = new CancellationTokenSource(Generous);
        await foreach (var pod in manager.ObserveAsync("default", name, limit.Token))
        {
            if (pod is null)
            {
                break;
            }

            if (state(pod))
            {
                return pod;
            }
        }

        throw new InvalidOperationException($"Pod default/{name} went away before it reached the state waited for.");
    }

    /// <summary>The state of one container of the pod, or null before it has a status.</summary>
    public static V1ContainerState? StateOf(V1Pod pod, string container) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container)?.State;

    /// <summary>The scheduler has said why no node takes the pod (PodScheduled False, Unschedulable).</summary>
    public static bool IsUnschedulable(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" }) == true;

    /// <summary>A start or completion wait that gave up at a 1 s schedule timeout, with the scheduler's words and event.</summary>
    public static void AssertScheduleTimedOut(PodManagerException error, string schedulerSays)
    {
        Assert.Equal("PodLaunchTimeout", error.ErrorId);
        Assert.StartsWith("Pod took too long to be scheduled on the cluster, giving up. More than 1s. Check the pod events in kubernetes.", error.Message, StringComparison.Ordinal);
        Assert.Equal("Unschedulable", error.Diagnosis!.Reason);
        Assert.Contains(schedulerSays, error.Diagnosis.Message, StringComparison.Ordinal);
        Assert.Contains(error.Diagnosis.Warnings, w => w.Reason == "FailedScheduling");
    }
}
