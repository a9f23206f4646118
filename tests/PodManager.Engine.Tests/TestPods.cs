using k8s.Models;
using PodManager.Engine.Pods;

namespace PodManager.Engine.Tests;

/// <summary>Small pod templates the tests share; names are unique per call so tests never collide.</summary>
internal static class TestPods
{
    public static string UniqueName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static PodTemplate Shell(string script, string? name = null) => new()
    {
        Image = "alpine",
        Name = name ?? UniqueName(),
        Command = ["sh", "-c", script],
    };

    public static TimeSpan Generous { get; } = TimeSpan.FromSeconds(60);

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
}
