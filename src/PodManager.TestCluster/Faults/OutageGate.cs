using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace PodManager.TestCluster.Faults;

/// <summary>
/// An outage: for its duration every new connection is reset as soon as it is accepted, and the connections
/// open when it starts are reset too. The cluster's state and its containers carry on.
/// </summary>
internal sealed class OutageGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConnectionContext> connections = new();
    private long untilTicks;

    public bool IsActive => time.GetUtcNow().UtcTicks < Interlocked.Read(ref untilTicks);

    public void Start(TimeSpan duration) => Interlocked.Exchange(ref untilTicks, (time.GetUtcNow() + duration).UtcTicks);

    /// <summary>Resets every open connection but <paramref name="except"/> (the one that asked for the outage, so
    /// that its answer is not lost; requests on it are refused like any other during the outage).</summary>
    public void ResetOpenConnections(string except)
    {
        foreach (var connection in connections.Values.Where(c => c.ConnectionId != except))
        {
            connection.Abort(new ConnectionAbortedException("The test cluster is in an outage."));
        }
    }

    /// <summary>Connection middleware, installed in front of TLS.</summary>
    public ConnectionDelegate Guard(ConnectionDelegate next) => async connection =>
    {
        if (IsActive)
        {
            connection.Abort(new ConnectionAbortedException("The test cluster is in an outage."));
            return;
        }

        connections[connection.ConnectionId] = connection;
        try
        {
            await next(connection);
        }
        finally
        {
            connections.TryRemove(connection.ConnectionId, out _);
        }
    };
}
