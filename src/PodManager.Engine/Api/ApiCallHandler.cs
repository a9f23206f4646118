using System.Diagnostics;

namespace PodManager.Engine.Api;

/// <summary>
/// Sits in KubernetesClient's HTTP pipeline so that every call, generated or hand-made, gets the one
/// retry policy, a per-attempt timeout up to the response headers, and is reported to <see cref="ApiCallListener"/>.
/// </summary>
internal sealed class ApiCallHandler(RetryPolicy policy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var pathAndQuery = request.RequestUri?.PathAndQuery ?? "";
        for (var attempt = 1; ; attempt++)
        {
            var attemptRequest = attempt == 1 ? request : Clone(request, body);
            var started = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(policy.Options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(attemptRequest, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (RetryPolicy.IsTransientException(e, cancellationToken))
            {
                var failure = e is OperationCanceledException ? "timed out" : SecretRedactor.Redact(ApiErrors.Innermost(e).Message);
                ApiCallListener.Report(new ApiCall(request.Method.Method, pathAndQuery, null, failure, Stopwatch.GetElapsedTime(started), attempt));
                if (attempt >= policy.Options.MaxAttempts)
                {
                    throw e is OperationCanceledException
                        ? new TimeoutException($"{request.Method} {pathAndQuery} got no response within {policy.Options.RequestTimeout.TotalSeconds:0} s.", e)
                        : e;
                }

                await Task.Delay(policy.DelayBefore(attempt + 1), policy.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            ApiCallListener.Report(new ApiCall(request.Method.Method, pathAndQuery, (int)response.StatusCode, null, Stopwatch.GetElapsedTime(started), attempt));
            if (!RetryPolicy.IsTransientStatus(response.StatusCode) || attempt >= policy.Options.MaxAttempts)
            {
                return response;
            }

            var delay = policy.DelayBefore(attempt + 1, response.Headers.RetryAfter);
            response.Dispose();
            await Task.Delay(delay, policy.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
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
