namespace PodManager.TestCluster.Faults;

/// <summary>A request path pattern where <c>*</c> stands for exactly one segment.</summary>
internal sealed class PathPattern
{
    private readonly string[] segments;

    private PathPattern(string[] segments) => this.segments = segments;

    public static PathPattern? Parse(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new PathPattern(Split(pattern));

    public bool Matches(string path)
    {
        var segments = Split(path);
        return segments.Length == this.segments.Length && this.segments.Zip(segments).All(pair => pair.First == "*" || pair.First == pair.Second);
    }

    private static string[] Split(string path) => path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
}
