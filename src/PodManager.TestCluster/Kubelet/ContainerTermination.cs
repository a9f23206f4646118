using System.Text;
using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// The terminated state of a run that ended: exit code and reason (<c>Completed</c>, <c>Error</c>, or the reason a
/// kill gave, e.g. <c>OOMKilled</c>; <c>StartError</c> for a command that could not start), and the termination
/// message read from the run's file, capped at 4096 bytes, or the log's tail with <c>FallbackToLogsOnError</c>
/// (the kubelet's getTerminationMessage and readLastStringFromContainerLogs in pkg/kubelet/kuberuntime).
/// </summary>
internal static class ContainerTermination
{
    /// <summary>The run directory's file that is bind-mounted at the container's terminationMessagePath.</summary>
    public const string MessageFile = "termination-log";

    private const int MaxMessageBytes = 4096;

    /// <summary>The state of a run that ended with <paramref name="exitCode"/>, or could not start (<paramref name="startError"/>);
    /// <paramref name="forced"/> is the exit a kill recorded (the fault API's terminate), which wins over the process's.</summary>
    public static V1ContainerStateTerminated State(
        V1Container spec,
        int exitCode,
        string? startError,
        (int ExitCode, string Reason)? forced,
        DateTime startedAt,
        DateTime finishedAt,
        string containerId,
        ContainerLaunch launch,
        LogFile log)
    {
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

        var code = forced?.ExitCode ?? exitCode;
        var message = ReadMessage(Path.Combine(launch.RunDirectory, MessageFile));
        if (message.Length == 0 && code != 0 && spec.TerminationMessagePolicy == "FallbackToLogsOnError")
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

    private static string ReadMessage(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = File.OpenRead(path);
        var buffer = new byte[MaxMessageBytes];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
