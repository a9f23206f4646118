using PodManager.Engine.Api;

namespace PodManager.Engine;

/// <summary>Tunables of one engine; the defaults are the production values documented in docs/engine.md.</summary>
public sealed record PodManagerOptions
{
    public RetryOptions Retry { get; init; } = RetryOptions.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long an idle namespace watch stays open for the next waiter (a pipeline's next cmdlet).</summary>
    public TimeSpan InformerLinger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The server ends each watch after this long and the informer resumes it; client-go uses 5 to 10 minutes.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public static PodManagerOptions Default { get; } = new();
}
