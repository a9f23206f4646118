using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using PodManager.Engine.Connections;

namespace PodManager.Commands;

/// <summary>
/// The connection Connect-KCluster made the default for one runspace (a session, a runbook job, a
/// thread job each have their own). Read only on the pipeline thread, where the runspace is known.
/// </summary>
internal sealed class SessionConnection(ConnectionSettings settings, string? ns, KCluster cluster)
{
    private static readonly ConditionalWeakTable<Runspace, SessionConnection> Connections = new();

    public ConnectionSettings Settings { get; } = settings;

    public string? Namespace { get; } = ns;

    public KCluster Cluster { get; } = cluster;

    public static SessionConnection? Current =>
        Runspace.DefaultRunspace is { } runspace && Connections.TryGetValue(runspace, out var connection) ? connection : null;

    /// <summary>
    /// The connection another open runspace of this process has, while this one has none: what a thread job's or a
    /// ForEach-Object -Parallel block's user usually expects to inherit.
    /// </summary>
    public static SessionConnection? OfAnotherRunspace =>
        Connections.Where(c => c.Key != Runspace.DefaultRunspace && c.Key.RunspaceStateInfo.State == RunspaceState.Opened)
            .Select(c => c.Value)
            .FirstOrDefault();

    public static void Clear()
    {
        if (Runspace.DefaultRunspace is { } runspace)
        {
            Connections.Remove(runspace);
        }
    }

    public static void Set(SessionConnection connection)
    {
        if (Runspace.DefaultRunspace is { } runspace)
        {
            Connections.AddOrUpdate(runspace, connection);
        }
    }
}
