namespace PodManager.Engine.Api;

/// <summary>
/// Lets a caller (a cmdlet) see the API calls made on its behalf. The engine and its client are shared by
/// every cmdlet, so the listener travels with the caller's async flow rather than living on the client.
/// </summary>
public static class ApiCallListener
{
    private static readonly AsyncLocal<Action<ApiCall>?> Current = new();

    /// <summary>Reports calls made in this async flow to <paramref name="listener"/> until the returned scope is disposed.</summary>
    public static IDisposable Listen(Action<ApiCall> listener)
    {
        var previous = Current.Value;
        Current.Value = listener;
        return new Scope(previous);
    }

    internal static void Report(ApiCall call) => Current.Value?.Invoke(call);

    private sealed class Scope(Action<ApiCall>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
