using Microsoft.AspNetCore.Http.Features;
using PodManager.TestCluster.ApiServer;

namespace PodManager.TestCluster.Faults;

/// <summary>The request middleware of the fault API: outages, request counting, delays, injected statuses and
/// dropped responses. The fault API's own paths are exempt, except from an outage.</summary>
internal static class FaultPipeline
{
    public const string AdminPrefix = "/_testcluster";

    public static Func<HttpContext, Func<Task>, Task> Outage(OutageGate outage) => async (context, next) =>
    {
        if (outage.IsActive)
        {
            context.Abort();
            return;
        }

        await next();
    };

    public static Func<HttpContext, Func<Task>, Task> Inject(FaultInjector faults, RequestCounter counter, TimeProvider time) => async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(AdminPrefix))
        {
            await next();
            return;
        }

        counter.Count(ApiPipeline.Info(context).CounterKey);
        var rules = faults.TakeFor(context.Request.Method, context.Request.Path.Value ?? "/");
        foreach (var delay in rules.Where(r => r.Kind == FaultRule.DelayKind))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay.Milliseconds ?? 0), time, context.RequestAborted);
        }

        if (rules.FirstOrDefault(r => r.Kind == FaultRule.StatusKind) is { } status)
        {
            throw new ApiException(ApiErrors.ForCode(status.Status!.Value, status.Message, status.RetryAfterSeconds));
        }

        if (rules.Any(r => r.Kind == FaultRule.DropResponseKind))
        {
            // The request is carried out, but nothing reaches the client: the response goes nowhere and the
            // connection (or HTTP/2 stream) is reset before any header is sent.
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
            try
            {
                await next();
            }
            finally
            {
                context.Abort();
            }

            return;
        }

        await next();
    };
}
