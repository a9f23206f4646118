namespace PodManager.Engine.Running;

/// <summary>An IProgress that reports on the caller's thread at once, unlike Progress&lt;T&gt; which posts to a context.</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
