using PodManager.Engine.Pods;

namespace PodManager.Engine.Tests;

/// <summary>Small pod templates the tests share; names are unique per call so tests never collide.</summary>
internal static class TestPods
{
    public static string UniqueName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static PodTemplate Shell(string script, string? name = null) => new()
    {
        Image = "alpine",
        Name = name ?? UniqueName(),
        Command = ["sh", "-c", script],
    };

    public static TimeSpan Generous { get; } = TimeSpan.FromSeconds(60);
}
