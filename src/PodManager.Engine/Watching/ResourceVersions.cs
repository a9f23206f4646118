namespace PodManager.Engine.Watching;

/// <summary>
/// Comparing resourceVersions. They are opaque to clients, but every API server numbers them from one increasing
/// counter (the etcd revision), so the shared watch compares them to tell a stale list from a deleted pod; anything that
/// does not parse is treated as unknown, never as newer.
/// </summary>
internal static class ResourceVersions
{
    public static bool IsNewer(string? version, string? than) =>
        long.TryParse(version, out var newer) && long.TryParse(than, out var older) && newer > older;
}
