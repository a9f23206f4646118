using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using PodManager.Engine.Connections;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Api;

/// <summary>
/// Sits in KubernetesClient's HTTP pipeline so that every call, generated or hand-made, gets the one
/// retry rule (<see cref="RetryPolicy.Classify(Exception, CancellationToken)"/>, with the budget of
/// <see cref="BackOffOptions.PerRequest"/>), a per-attempt timeout up to the response headers, and is reported to <see cref="ApiCallListener"/>
/// and to the engine's <see cref="ServerReachability"/>. Until the server has answered once, connection failures
/// are retried only within <see cref="RetryOptions.ConnectBudget"/>: a server that was never there is a wrong
/// address or a stopped cluster, not an outage to ride out. A 401 is answered once by reading the credentials again
/// from their source (<see cref="RefreshingToken"/>), as kubectl does, and retried with the new token; the kubeconfig's
/// impersonation goes on every request (<see cref="ClientIdentity"/>).
/// </summary>
internal sealed class ApiCallHandler(RetryPolicy policy, ServerReachability reachability, ClientIdentity identity) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var pathAndQuery = request.RequestUri?.PathAndQuery ?? "";
        var firstAttempt = policy.TimeProvider.GetTimestamp();
        var backOff = policy.BackOff(BackOffOptions.PerRequest(policy.Options));
        var attemptRequest = request;
        AuthenticationHeaderValue? refreshed = null;
        identity.Apply(request.Headers);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                attemptRequest = attempt == 1 ? request : Clone(request, body);
                if (refreshed is not null)
                {
                    attemptRequest.Headers.Authorization = refreshed;
                }

                var started = Stopwatch.GetTimestamp();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(policy.Options.RequestTimeout);
                HttpResponseMessage response;
                try
                {
                    response = await base.SendAsync(attemptRequest, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var failure = e is OperationCanceledException ? "timed out" : SecretRedactor.Redact(ApiErrors.Innermost(e).Message);
                    var kind = RetryPolicy.Classify(e, cancellationToken);
                    if (kind != FailureKind.Permanent)
                    {
                        reachability.Failed(failure, kind);
                    }

                    ApiCallListener.Report(new ApiCall(request.Method.Method, pathAndQuery, null, failure, Stopwatch.GetElapsedTime(started), attempt));
                    if (!backOff.Retries(kind))
                    {
                        throw;
                    }

                    var attemptsLeft = backOff.Fail();
                    var delay = backOff.NextDelay();
                    var connectBudgetSpent = !reachability.HasAnswered && policy.TimeProvider.GetElapsedTime(firstAttempt) + delay > policy.Options.ConnectBudget;
                    if (!attemptsLeft || connectBudgetSpent)
                    {
                        throw e is OperationCanceledException
                            ? new TimeoutException($"{request.Method} {pathAndQuery} got no response within {policy.Options.RequestTimeout.TotalSeconds:0} s.", e)
                            : e;
                    }

                    await backOff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var answer = RetryPolicy.Classify(response.StatusCode);
                if (answer == FailureKind.Unavailable)
                {
                    reachability.Failed($"{(int)response.StatusCode} {response.ReasonPhrase}", answer);
                }
                else
                {
                    reachability.Answered();
                }

                ApiCallListener.Report(new ApiCall(request.Method.Method, pathAndQuery, (int)response.StatusCode, null, Stopwatch.GetElapsedTime(started), attempt));
                if (response.StatusCode == HttpStatusCode.Unauthorized && refreshed is null && identity.Refresh is { } source
                    && await source.RefreshAsync(attemptRequest.Headers.Authorization, cancellationToken).ConfigureAwait(false) is { } renewed)
                {
                    // Once per request: a second 401 with a token just read is the credentials' fault, not their age.
                    refreshed = renewed;
                    response.Dispose();
                    continue;
                }

                if (!backOff.ShouldRetry(response.StatusCode))
                {
                    return response;
                }

                var retryAfter = backOff.NextDelay(response.Headers.RetryAfter);
                response.Dispose();
                await backOff.WaitAsync(retryAfter, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // KubernetesClient copies the request's headers into the HttpOperationException it throws for an error
            // status, where `$_ | ConvertTo-Json` would write the bearer token out: once sent, the request forgets it.
            ForgetCredentials(request);
            ForgetCredentials(attemptRequest);
        }
    }

    private static void ForgetCredentials(HttpRequestMessage request)
    {
        request.Headers.Authorization = null;
        request.Headers.ProxyAuthorization = null;
    }

    private static HttpRequestMessage Clone(HttpRequestMessage original, byte[]? body)
    {
        var clone = new HttpRequestMessage(original.Method, original.RequestUri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
        };
        foreach (var header in original.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            clone.Content = new ByteArrayContent(body);
            foreach (var header in original.Content!.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return clone;
    }
}
