using k8s;
using k8s.Models;
using PodManager.Engine.Api;
using PodManager.Engine.Watching;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>The shared watch's cache and fan-out, fed by hand as its reflector feeds it.</summary>
public sealed class PodCacheTests
{
    private static readonly CancellationToken Run = CancellationToken.None;

    [Fact]
    public void AListTellsEachSubscriberWhatChangedAndWhatIsGone()
    {
        var cache = new PodCache();
        cache.Replace(Listed(Pod("web", "1"), Pod("db", "2")), "2", Run);
        using var web = cache.Subscribe("web", listener: null, _ => { });
        using var db = cache.Subscribe("db", listener: null, _ => { });
        using var never = cache.Subscribe("never-listed", listener: null, _ => { });
        Assert.Equal("1", web.Initial?.Metadata.ResourceVersion);
        Assert.Equal("2", web.ResourceVersion);

        // A relist: web changed, db is unchanged, and neither db's nor the unlisted pod's subscriber may be left waiting.
        cache.Replace(Listed(Pod("web", "7"), Pod("db", "2")), "7", Run);
        cache.Replace(Listed(Pod("web", "7")), "8", Run);

        Assert.Equal("7", Published(web).Pod?.Metadata.ResourceVersion);
        Assert.True(Published(db).Deleted);
        Assert.True(Published(never).Deleted);
    }

    [Fact]
    public async Task AListTakenBeforeAPodWasCreatedDoesNotTellItsWaitersThatItIsGone()
    {
        // The soak's race: the watch expired and its relist was sent, then a pod was created (version 9) and a wait on it
        // began with the create's answer; the list (version 8) arrives without it. The watch from 8 will bring it.
        var cache = new PodCache();
        cache.Replace(Listed(Pod("old", "3")), "3", Run);
        using var created = cache.Subscribe("new", listener: null, _ => { });
        created.KnownVersion = "9";
        using var stale = cache.Subscribe("gone", listener: null, _ => { });
        stale.KnownVersion = "5";
        cache.Apply(WatchEventType.Added, Pod("cached-new", "9"), Run);

        cache.Replace(Listed(), "8", Run);

        var next = created.NextAsync(Run);
        Assert.False(next.IsCompleted, "a pod newer than the list is not gone");
        Assert.True(Published(stale).Deleted, "a pod the waiter knew before the list was taken and that the list lacks is gone");
        using var cachedNew = cache.Subscribe("cached-new", listener: null, _ => { });
        Assert.Equal("9", cachedNew.Initial?.Metadata.ResourceVersion);

        cache.Apply(WatchEventType.Added, Pod("new", "9"), Run);
        // Bounded so that a publication that never comes fails the test instead of hanging it.
        Assert.Equal("9", (await next.AsTask().WaitAsync(TimeSpan.FromMinutes(1))).Pod?.Metadata.ResourceVersion);
    }

    [Fact]
    public void WatchEventsArePublishedInOrderAndBookmarksChangeNoPod()
    {
        var cache = new PodCache();
        cache.Replace(Listed(), "1", Run);
        using var web = cache.Subscribe("web", listener: null, _ => { });

        cache.Apply(WatchEventType.Added, Pod("web", "2"), Run);
        cache.Apply(WatchEventType.Bookmark, new V1Pod { Metadata = new V1ObjectMeta { ResourceVersion = "3" } }, Run);
        cache.Apply(WatchEventType.Modified, Pod("web", "4"), Run);
        cache.Apply(WatchEventType.Deleted, Pod("web", "5"), Run);

        Assert.Equal("2", Published(web).Pod?.Metadata.ResourceVersion);
        Assert.Equal("4", Published(web).Pod?.Metadata.ResourceVersion);
        Assert.True(Published(web).Deleted);
        using var later = cache.Subscribe("web", listener: null, _ => { });
        Assert.Null(later.Initial);
        Assert.Equal("5", later.ResourceVersion);
    }

    [Fact]
    public void AStoppedRunCannotChangeTheCache()
    {
        var cache = new PodCache();
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        Assert.Throws<OperationCanceledException>(() => cache.Replace(Listed(Pod("web", "1")), "1", stopped.Token));
        Assert.Throws<OperationCanceledException>(() => cache.Apply(WatchEventType.Added, Pod("web", "1"), stopped.Token));
        Assert.False(cache.Synced.IsCompleted);
    }

    [Fact]
    public async Task AWatchThatGivesUpFailsEveryWaiterWithItsError()
    {
        var cache = new PodCache();
        var error = new PodManagerException(ErrorIds.ClusterUnreachable, "gone");
        var waitingForTheList = cache.Synced;

        cache.Fail(error);

        Assert.Same(error, await Assert.ThrowsAsync<PodManagerException>(() => waitingForTheList));
        Assert.False(cache.Synced.IsCompleted);

        cache.Replace(Listed(Pod("web", "1")), "1", Run);
        using var web = cache.Subscribe("web", listener: null, _ => { });
        cache.Fail(error);

        var next = web.NextAsync(Run);
        Assert.True(next.IsCompleted, "the failure reached the subscription");
        Assert.Same(error, await Assert.ThrowsAsync<PodManagerException>(async () => await next));
        Assert.False(cache.Synced.IsCompleted);
    }

    [Fact]
    public void NotesReachEveryWaiterOnceWhetherSubscribedOrWaitingForTheList()
    {
        var cache = new PodCache();
        var heard = new List<string>();
        var one = new ApiCallListener.Listener(_ => { }, note => heard.Add("one: " + note));
        var two = new ApiCallListener.Listener(_ => { }, note => heard.Add("two: " + note));
        cache.AwaitSync(two);
        cache.Replace(Listed(Pod("web", "1")), "1", Run);
        using var first = cache.Subscribe("web", one, _ => { });
        using var second = cache.Subscribe("db", one, _ => { });

        cache.Relay(listener => listener.OnNote!("reconnecting"));

        Assert.Equal(["one: reconnecting", "two: reconnecting"], heard.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DisposingASubscriptionUnsubscribesItFromTheCacheAndTellsTheInformer()
    {
        var cache = new PodCache();
        cache.Replace(Listed(), "1", Run);
        var released = 0;
        var heard = new List<string>();
        var subscription = cache.Subscribe("web", new ApiCallListener.Listener(_ => { }, heard.Add), _ => released++);

        subscription.Dispose();
        cache.Relay(listener => listener.OnNote!("reconnecting"));

        Assert.Equal(1, released);
        Assert.Empty(heard);
    }

    /// <summary>The change published to <paramref name="subscription"/>: the cache publishes as it changes, so it is there already.</summary>
    private static PodSnapshot Published(PodSubscription subscription)
    {
        var next = subscription.NextAsync(Run);
        Assert.True(next.IsCompleted, "a change was published");
        return next.Result;
    }

    private static V1Pod Pod(string name, string resourceVersion) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = resourceVersion } };

    private static Dictionary<string, V1Pod> Listed(params V1Pod[] pods) => pods.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
}
