using System.Net;
using System.Net.Http.Headers;
using PodManager.Engine.Resilience;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy NoJitter = new(RetryOptions.Default with { JitterRatio = 0 }, TimeProvider.System);

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(6, 15)]
    [InlineData(12, 15)]
    public void BackOffDoublesFromOneSecondAndIsCappedAtFifteen(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), NoJitter.DelayBefore(attempt));

    [Fact]
    public void JitterStaysWithinItsRatioAndUnderTheCap()
    {
        var policy = new RetryPolicy(RetryOptions.Default, TimeProvider.System);
        for (var i = 0; i < 200; i++)
        {
            var delay = policy.DelayBefore(3);
            Assert.InRange(delay.TotalMilliseconds, 1600, 2400);
            Assert.True(policy.DelayBefore(10) <= TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public void RetryAfterFromTheServerWinsUpToTheLimit()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), NoJitter.DelayBefore(2, new RetryConditionHeaderValue(TimeSpan.FromSeconds(3))));
        Assert.Equal(TimeSpan.FromSeconds(60), NoJitter.DelayBefore(2, new RetryConditionHeaderValue(TimeSpan.FromSeconds(3600))));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void OnlyTransientStatusesAreRetried(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, RetryPolicy.IsTransientStatus(status));

    [Fact]
    public void CallerCancellationIsNotTransientButATimeoutIs()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.NotEqual(FailureKind.NoAnswer, RetryPolicy.Classify(new OperationCanceledException(), cancelled.Token));
        Assert.Equal(FailureKind.NoAnswer, RetryPolicy.Classify(new OperationCanceledException(), CancellationToken.None));
        Assert.Equal(FailureKind.NoAnswer, RetryPolicy.Classify(new HttpRequestException("refused"), CancellationToken.None));
        Assert.NotEqual(FailureKind.NoAnswer, RetryPolicy.Classify(new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public void ACertificateFailureIsNeverTransientHoweverItIsWrapped()
    {
        var rejected = new System.Security.Authentication.AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback.");
        var http = new HttpRequestException("The SSL connection could not be established, see inner exception.", rejected);
        var socket = new System.Net.WebSockets.WebSocketException("Unable to connect to the remote server", http);

        Assert.NotEqual(FailureKind.NoAnswer, RetryPolicy.Classify(http, CancellationToken.None));
        Assert.NotEqual(FailureKind.NoAnswer, RetryPolicy.Classify(socket, CancellationToken.None));
        Assert.True(RetryPolicy.IsCertificateFailure(socket));
        Assert.False(RetryPolicy.IsCertificateFailure(new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111))));
    }
}
