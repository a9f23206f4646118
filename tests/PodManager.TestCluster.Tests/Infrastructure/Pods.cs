using k8s.Models;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>Pod specs for tests: a single <c>sh -c</c> container by default.</summary>
public static class Pods
{
    public static V1Pod Shell(string name, string script, string restartPolicy = "Never", string image = "alpine:3.19", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = [new V1Container { Name = "base", Image = image, Command = ["sh", "-c", script] }],
        },
    };

    /// <summary>A pod whose container runs the given command line directly (no shell).</summary>
    public static V1Pod Command(string name, params string[] commandLine)
    {
        var pod = Shell(name, string.Empty);
        pod.Spec.Containers[0].Command = commandLine;
        return pod;
    }

    /// <summary>A pod that runs until it is told to stop, exiting 0 on SIGTERM.</summary>
    public static V1Pod LongRunning(string name, IDictionary<string, string>? labels = null, long? gracePeriodSeconds = null)
    {
        var pod = Shell(name, "trap 'exit 0' TERM; echo started; while true; do sleep 0.2; done", labels: labels);
        pod.Spec.TerminationGracePeriodSeconds = gracePeriodSeconds;
        return pod;
    }

    /// <summary>
    /// A script step that waits until <see cref="Waits.ReleaseAsync"/> has run in the container and its process is
    /// gone: a container that ended while the releasing exec still ran would take it down with it (exit 137).
    /// </summary>
    public const string AwaitRelease = "until [ -e /tmp/go ]; do sleep 0.05; done; while [ -e /proc/$(cat /tmp/go) ]; do sleep 0.05; done";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
