using System.Net;
using System.Net.Http.Headers;
using k8s.Autorest;
using PodManager.Engine.Resilience;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>The one classifier and the one back-off, without a cluster: each loop's budget as an option of the same type.</summary>
public sealed class BackOffTests
{
    // Whole seconds, no jitter, and a ceiling far away, so each doubling shows.
    private static readonly RetryPolicy Policy = new(RetryOptions.Default with { JitterRatio = 0, MaxDelay = TimeSpan.FromHours(1) }, TimeProvider.System);

    public static TheoryData<Exception, bool, FailureKind> Failures()
    {
        var certificate = new HttpRequestException("The SSL connection could not be established.", new System.Security.Authentication.AuthenticationException("rejected"));
        return new()
        {
            { Status(HttpStatusCode.ServiceUnavailable), false, FailureKind.Unavailable },
            { Status(HttpStatusCode.TooManyRequests), false, FailureKind.Unavailable },
            { Status(HttpStatusCode.NotFound), false, FailureKind.Permanent },
            { Status(HttpStatusCode.Conflict), false, FailureKind.Permanent },
            { new HttpRequestException("Connection refused"), false, FailureKind.NoAnswer },
            { new IOException("The response ended prematurely."), false, FailureKind.NoAnswer },
            { new OperationCanceledException(), false, FailureKind.NoAnswer },
            { new OperationCanceledException(), true, FailureKind.Permanent },
            { certificate, false, FailureKind.Permanent },
            { new System.Net.WebSockets.WebSocketException(System.Net.WebSockets.WebSocketError.NotAWebSocket), false, FailureKind.Permanent },
            { new System.Net.WebSockets.WebSocketException(System.Net.WebSockets.WebSocketError.ConnectionClosedPrematurely), false, FailureKind.NoAnswer },
            { new InvalidOperationException(), false, FailureKind.Permanent },
        };
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void EveryFailureHasOneKind(Exception failure, bool callerCancelled, FailureKind kind)
    {
        using var caller = new CancellationTokenSource();
        if (callerCancelled)
        {
            caller.Cancel();
        }

        Assert.Equal(kind, RetryPolicy.Classify(failure, caller.Token));
    }

    [Fact]
    public void APerRequestBackOffGivesUpAtItsLastAttempt()
    {
        var backOff = Policy.BackOff(BackOffOptions.PerRequest(RetryOptions.Default));
        for (var attempt = 1; attempt < RetryOptions.Default.MaxAttempts; attempt++)
        {
            Assert.True(backOff.ShouldRetry(new HttpRequestException("refused"), CancellationToken.None), $"attempt {attempt}");
        }

        Assert.False(backOff.ShouldRetry(Status(HttpStatusCode.BadGateway), CancellationToken.None));
        Assert.Equal(RetryOptions.Default.MaxAttempts, backOff.Failures);
    }

    [Fact]
    public void ALoopOverRetriedRequestsRetriesOnlyFailuresWithoutAnAnswer()
    {
        var perRequest = Policy.BackOff(BackOffOptions.PerRequest(RetryOptions.Default));
        var logStream = Policy.BackOff(BackOffOptions.LogStreamBreaks);

        Assert.True(perRequest.ShouldRetry(Status(HttpStatusCode.ServiceUnavailable), CancellationToken.None));
        Assert.False(logStream.ShouldRetry(Status(HttpStatusCode.ServiceUnavailable), CancellationToken.None));
        Assert.True(logStream.ShouldRetry(new IOException("cut"), CancellationToken.None));
        Assert.Equal(1, logStream.Failures);
    }

    [Fact]
    public void NoLoopRetriesACertificateFailureOrItsCallersCancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var rejected = new System.Net.WebSockets.WebSocketException("Unable to connect", new HttpRequestException("SSL", new System.Security.Authentication.AuthenticationException("rejected")));
        foreach (var budget in new[] { BackOffOptions.PerRequest(RetryOptions.Default), BackOffOptions.PodWatch, BackOffOptions.LogStreamBreaks, BackOffOptions.QuietStream })
        {
            var backOff = Policy.BackOff(budget);
            Assert.False(backOff.ShouldRetry(rejected, CancellationToken.None));
            Assert.False(backOff.ShouldRetry(new OperationCanceledException(cancelled.Token), cancelled.Token));
            Assert.Equal(0, backOff.Failures);
        }
    }

    [Theory]
    [InlineData(3, new[] { 1, 2, 4, 8, 8, 8 })]
    [InlineData(8, new[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 256 })]
    public void TheDelayDoublesAsOftenAsTheLoopAllows(int doublings, int[] seconds)
    {
        var backOff = Policy.BackOff(new BackOffOptions(MaxAttempts: null, MaxDoublings: doublings, RetriesUnavailable: false));
        foreach (var expected in seconds)
        {
            backOff.Fail();
            Assert.Equal(TimeSpan.FromSeconds(expected), backOff.NextDelay());
        }
    }

    [Fact]
    public void TheLoopsBudgetsAreTheOnesDocumented()
    {
        Assert.Equal((20, null, false), Budget(BackOffOptions.LogStreamBreaks));
        Assert.Equal((20, 3, false), Budget(BackOffOptions.EventWatchOpen(RetryOptions.Default)));
        Assert.Equal((null, 3, false), Budget(BackOffOptions.QuietStream));
        Assert.Equal((null, 8, true), Budget(BackOffOptions.PodWatch));
        Assert.Equal((5, null, true), Budget(BackOffOptions.PerRequest(RetryOptions.Default)));
        Assert.Equal((5, null, false), Budget(BackOffOptions.LogTail(RetryOptions.Default)));

        static (int?, int?, bool) Budget(BackOffOptions options) => (options.MaxAttempts, options.MaxDoublings, options.RetriesUnavailable);
    }

    [Fact]
    public void ProgressStartsTheDelaysOver()
    {
        var backOff = Policy.BackOff(BackOffOptions.PodWatch);
        backOff.Fail();
        backOff.Fail();
        backOff.Fail();
        Assert.Equal(TimeSpan.FromSeconds(4), backOff.NextDelay());

        backOff.Reset();
        backOff.Fail();
        Assert.Equal(1, backOff.Failures);
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.NextDelay());
    }

    [Fact]
    public void AServersRetryAfterWinsUpToItsLimit()
    {
        var backOff = Policy.BackOff(BackOffOptions.PerRequest(RetryOptions.Default));
        backOff.Fail();
        Assert.Equal(TimeSpan.FromSeconds(7), backOff.NextDelay(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))));
        Assert.Equal(RetryOptions.Default.MaxRetryAfter, backOff.NextDelay(new RetryConditionHeaderValue(TimeSpan.FromHours(1))));
    }

    private static HttpOperationException Status(HttpStatusCode code) =>
        new($"Operation returned an invalid status code '{code}'") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), "") };
}
