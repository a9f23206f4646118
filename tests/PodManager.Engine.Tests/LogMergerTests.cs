using PodManager.Engine.Logs;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>The merge's one decision, which line goes out next or how long to hold it, from what each source shows.</summary>
public sealed class LogMergerTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public void TheEarliestLineGoesOutOnceEverySourceHasSpokenOrEnded()
    {
        var step = LogMerger.Next([Offers(20), Offers(10), Ended()], follow: true);
        Assert.Equal(new MergeStep(MergeAction.Release, 1), step);
    }

    [Fact]
    public void EqualStampsGoOutInTheOrderTheContainersWereAskedFor()
    {
        Assert.Equal(1, LogMerger.Next([Ended(), Offers(10), Offers(10)], follow: false).Source);
    }

    [Fact]
    public void ThePlainReadOfSeveralContainersWaitsForEachOfThemHoweverLong()
    {
        var step = LogMerger.Next([Offers(10, age: Long), Silent(sinceSettled: Long)], follow: false);
        Assert.Equal(new MergeStep(MergeAction.Wait), step);
    }

    [Fact]
    public void FollowingAQuietContainerHoldsALineForTheFollowWindowFromItsArrival()
    {
        var held = LogMerger.Next([Offers(10, age: TimeSpan.FromMilliseconds(100)), Silent(sinceSettled: Long)], follow: true);
        Assert.Equal(new MergeStep(MergeAction.Wait, HoldFor: LogMerger.FollowWindow - TimeSpan.FromMilliseconds(100)), held);

        var released = LogMerger.Next([Offers(10, age: LogMerger.FollowWindow), Silent(sinceSettled: Long)], follow: true);
        Assert.Equal(new MergeStep(MergeAction.Release, 0), released);
    }

    [Fact]
    public void FollowingAContainerWhoseStreamIsOpeningHoldsALineForTheOpeningWindow()
    {
        var age = TimeSpan.FromSeconds(2);
        var held = LogMerger.Next([Offers(10, age: age), Silent(sinceSettled: Long, opening: true)], follow: true);
        Assert.Equal(new MergeStep(MergeAction.Wait, HoldFor: LogMerger.OpeningWindow - age), held);

        Assert.Equal(MergeAction.Release, LogMerger.Next([Offers(10, age: LogMerger.OpeningWindow), Silent(sinceSettled: Long, opening: true)], follow: true).Action);
    }

    [Fact]
    public void AStreamThatOpenedAMomentAgoGetsTheWholeWindowToDeliver()
    {
        var opened = TimeSpan.FromMilliseconds(50);
        var step = LogMerger.Next([Offers(10, age: Long), Silent(sinceSettled: opened)], follow: true);
        Assert.Equal(new MergeStep(MergeAction.Wait, HoldFor: LogMerger.FollowWindow - opened), step);
    }

    [Fact]
    public void TheMergeWaitsWhileNothingIsOfferedAndEndsWhenEverySourceHas()
    {
        Assert.Equal(new MergeStep(MergeAction.Wait), LogMerger.Next([Silent(sinceSettled: Long), Ended()], follow: true));
        Assert.Equal(new MergeStep(MergeAction.Done), LogMerger.Next([Ended(), Ended()], follow: true));
    }

    private static MergeView Offers(long stamp, TimeSpan age = default) => new(stamp, age, Ended: false, Opening: false, SinceSettled: Long);

    private static MergeView Silent(TimeSpan sinceSettled, bool opening = false) => new(null, TimeSpan.Zero, Ended: false, opening, sinceSettled);

    private static MergeView Ended() => new(null, TimeSpan.Zero, Ended: true, Opening: false, SinceSettled: Long);
}
