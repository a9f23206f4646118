using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace PodManager.Engine.Orphans;

/// <summary>
/// The process that made a pod, written on it when it is created so that a pod whose runner died can be told from one
/// still looked after: the host as a label (so a cleanup can select its own host's pods), and the host, process id and
/// process start time as annotations (the start time tells a live runner from a later process that got the same id).
/// </summary>
public static partial class RunnerIdentity
{
    public const string HostLabel = "podmanager.io/runner-host";

    public const string HostAnnotation = "podmanager.io/runner-host";

    public const string ProcessIdAnnotation = "podmanager.io/runner-pid";

    public const string ProcessStartAnnotation = "podmanager.io/runner-started";

    /// <summary>This host's name, as written in <see cref="HostAnnotation"/>.</summary>
    public static string HostName { get; } = Environment.MachineName;

    /// <summary>Writes this process as the pod's runner.</summary>
    public static void Stamp(V1Pod pod)
    {
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Labels[HostLabel] = LabelValue(HostName);
        pod.Metadata.Annotations[HostAnnotation] = HostName;
        using var self = Process.GetCurrentProcess();
        pod.Metadata.Annotations[ProcessIdAnnotation] = self.Id.ToString(CultureInfo.InvariantCulture);
        pod.Metadata.Annotations[ProcessStartAnnotation] = StartTime(self);
    }

    /// <summary>
    /// Whether the pod's runner is known to be alive: true for a live process of this host with the id and start time
    /// written on the pod, false for one that is gone (no such process, a zombie, or another process with the id), and
    /// null when it cannot be checked from here (another host, or no runner written on the pod).
    /// </summary>
    public static bool? IsAlive(V1Pod pod)
    {
        var annotations = pod.Metadata?.Annotations;
        if (annotations is null
            || !annotations.TryGetValue(HostAnnotation, out var host) || host != HostName
            || !annotations.TryGetValue(ProcessIdAnnotation, out var pidText) || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !annotations.TryGetValue(ProcessStartAnnotation, out var started))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !IsZombie(pid) && StartTime(process) == started;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A process that has exited but that its parent has not reaped yet still has an id (Linux: state Z).</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string StartTime(Process process) =>
        process.StartTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A host name as a label value: lower case, at most 63 characters of [a-z0-9._-], alphanumeric at both ends.</summary>
    private static string LabelValue(string host)
    {
        var value = NotLabelCharacters().Replace(host.ToLowerInvariant(), "-");
        value = value.Length > 63 ? value[..63] : value;
        return value.Trim('-', '.', '_');
    }

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex NotLabelCharacters();
}
