using System.Net;
using k8s;
using k8s.Autorest;

namespace PodManager.Engine.Api;

/// <summary>
/// Requests the generated client cannot make: watches read line by line without the client's
/// first-line peek, and log reads with <c>sinceTime</c>, which the generated client lacks.
/// They still go through the same HTTP pipeline, credentials and retry policy.
/// </summary>
internal sealed class RawApi(Kubernetes client)
{
    public async Task<HttpResponseMessage> GetAsync(string relativeUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, relativeUri))
        {
            Version = HttpVersion.Version20,
        };
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Response = new HttpResponseMessageWrapper(response, content),
            };
        }
    }
}
