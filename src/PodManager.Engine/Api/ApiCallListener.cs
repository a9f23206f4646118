namespace PodManager.Engine.Api;

/// <summary>
/// Lets a caller (a cmdlet) see the API calls made on its behalf, what the engine does about failures (a watch
/// reconnecting) and what it decided on the caller's behalf (a run key's pod reattached). The engine and its client are shared by every cmdlet, so the listener travels with
/// the caller's async flow rather than living on the client; a shared watch relays to each of its waiters.
/// </summary>
public static class ApiCallListener
{
    private static readonly AsyncLocal<Listener?> Current = new();

    /// <summary>Reports calls made in this async flow to <paramref name="onCall"/>, and notes to <paramref name="onNote"/>, until the returned scope is disposed.</summary>
    /// <param name="onWarning">Receives what the user should act on though the work goes on (a missing permission that makes waits poll).</param>
    public static IDisposable Listen(Action<ApiCall> onCall, Action<string>? onNote = null, Action<string>? onWarning = null)
    {
        var previous = Current.Value;
        Current.Value = new Listener(onCall, onNote, onWarning);
        return new Scope(previous);
    }

    /// <summary>The listener of this async flow, for work that runs outside it on its behalf (a shared watch).</summary>
    internal static Listener? Captured => Current.Value;

    internal static void Report(ApiCall call) => Current.Value?.OnCall(call);

    /// <summary>Tells the listener what the engine is doing about a failure, or what it decided, as a sentence.</summary>
    internal static void Note(string message) => Current.Value?.OnNote?.Invoke(message);

    /// <summary>Tells the listener something the user should act on; without a warning channel it is a note.</summary>
    internal static void Warn(string message)
    {
        if (Current.Value is { } listener)
        {
            (listener.OnWarning ?? listener.OnNote)?.Invoke(message);
        }
    }

    internal sealed record Listener(Action<ApiCall> OnCall, Action<string>? OnNote, Action<string>? OnWarning = null);

    private sealed class Scope(Listener? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
