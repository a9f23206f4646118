using System.Runtime.InteropServices;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>The few libc calls .NET does not expose: signalling a process by PID.</summary>
internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    /// <summary>Sends a signal; false when the process is already gone.</summary>
    public static bool SendSignal(int pid, int signal) => Kill(pid, signal) == 0;

    public static bool IsRoot => GetEffectiveUserId() == 0;
}
