using System.Text;
using k8s;
using k8s.Models;
using PodManager.Engine.Resilience;
using PodManager.Engine.Watching;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>The one watch decoder, fed by hand: what the pod watch and the events watch both rely on.</summary>
public sealed class WatchStreamTests
{
    [Fact]
    public async Task EventsComeOutTypedAndEveryOneBookmarksIncludedMovesTheResumeVersion()
    {
        await using var watch = Watch(
            Event("ADDED", "a", "5"),
            "",
            Event("MODIFIED", "a", "6"),
            """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}""",
            Event("DELETED", "a", "11"));

        var seen = await ReadAllAsync(watch);

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Bookmark, null), (WatchEventType.Deleted, "a")], seen);
        Assert.Equal("11", watch.ResourceVersion);
        Assert.True(watch.SawEvents);
    }

    [Fact]
    public async Task AWatchClosedAtOnceResumesFromWhereItStarted()
    {
        await using var watch = Watch();
        Assert.Empty(await ReadAllAsync(watch));
        Assert.Equal("1", watch.ResourceVersion);
        Assert.False(watch.SawEvents);
    }

    [Fact]
    public async Task AnErrorWith410IsExpiredAndMeansListAgain()
    {
        await using var watch = Watch(Event("ADDED", "a", "5"), Error(410, "Expired", "too old resource version: 1 (4)"));
        var error = await Assert.ThrowsAsync<WatchExpiredException>(() => ReadAllAsync(watch));
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
        Assert.Equal("5", watch.ResourceVersion);
    }

    [Fact]
    public async Task AnyOtherErrorIsATransientFailureToResumeFrom()
    {
        await using var watch = Watch(Event("ADDED", "a", "5"), Error(500, "InternalError", "etcd is gone"));
        var error = await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(watch));
        Assert.Contains("etcd is gone [500 InternalError]", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.NoAnswer, RetryPolicy.Classify(error, CancellationToken.None));
        Assert.Equal("5", watch.ResourceVersion);
    }

    [Fact]
    public async Task ALineCutInsideItsEventIsATransientFailure()
    {
        await using var watch = Watch(Event("ADDED", "a", "5"), """{"type":"MODIFIED","object":{"kind":"Po""");
        var error = await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(watch));
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
        Assert.Equal(FailureKind.NoAnswer, RetryPolicy.Classify(error, CancellationToken.None));
    }

    [Fact]
    public async Task AnEventTypeThisClientDoesNotKnowIsSkipped()
    {
        await using var watch = Watch("""{"type":"SOMETHING-NEW","object":{}}""", Event("ADDED", "a", "5"));
        Assert.Equal([(WatchEventType.Added, "a")], await ReadAllAsync(watch));
    }

    private static WatchStream<V1Pod> Watch(params string[] lines) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + (lines.Length > 0 ? "\n" : ""))), "1");

    private static string Event(string type, string name, string resourceVersion) =>
        "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\",\"resourceVersion\":\"" + resourceVersion + "\"}}}";

    private static string Error(int code, string reason, string message) =>
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
        + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}}";

    private static async Task<List<(WatchEventType, string?)>> ReadAllAsync(WatchStream<V1Pod> watch)
    {
        var seen = new List<(WatchEventType, string?)>();
        await foreach (var (type, pod) in watch.ReadAsync(CancellationToken.None))
        {
            seen.Add((type, pod.Metadata?.Name));
        }

        return seen;
    }
}
