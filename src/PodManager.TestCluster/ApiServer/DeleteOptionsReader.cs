using k8s.Models;

namespace PodManager.TestCluster.ApiServer;

/// <summary>Reads DeleteOptions from the body (with or without kind/apiVersion, or absent) and the query string.</summary>
internal static class DeleteOptionsReader
{
    public static async Task<V1DeleteOptions> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadBytesAsync(request, cancellationToken);
        var options = body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            ? new V1DeleteOptions()
            : JsonBody.Deserialize<V1DeleteOptions>(body, "DeleteOptions");
        if (!string.IsNullOrEmpty(options.Kind) && options.Kind != "DeleteOptions")
        {
            throw ApiErrors.BadRequest($"the kind in the data ({options.Kind}) does not match the expected kind (DeleteOptions)");
        }

        options.GracePeriodSeconds ??= QueryParameters.GetInt64(request.Query, "gracePeriodSeconds");
        options.PropagationPolicy ??= QueryParameters.GetString(request.Query, "propagationPolicy");
        return options;
    }
}
