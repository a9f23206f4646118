namespace PodManager.Engine.Logs;

/// <summary>Airflow's PodLoggingStatus: whether the container still runs, and the last log line's time.</summary>
public sealed record PodLoggingStatus(bool Running, DateTimeOffset? LastLogTime);
