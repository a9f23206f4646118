namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// Content negotiation between JSON and protobuf, as the API server does it from the Accept header: the first media
/// type the client lists that the server can produce wins. Entries with parameters such as <c>as=Table</c> ask for
/// other representations and are left to the handlers that serve them.
/// </summary>
internal static class MediaTypes
{
    public enum Choice
    {
        Json,
        Protobuf,
        ProtobufOnly,
    }

    public static Choice Negotiate(HttpRequest request)
    {
        var accepted = request.Headers.Accept
            .SelectMany(value => (value ?? string.Empty).Split(','))
            .Select(entry => entry.Split(';'))
            .Where(parts => parts.Skip(1).All(p => p.Trim().StartsWith("q=", StringComparison.Ordinal)))
            .Select(parts => parts[0].Trim().ToLowerInvariant())
            .Where(type => type.Length > 0)
            .ToList();
        var protobuf = accepted.IndexOf(Protobuf.ProtobufEnvelope.MediaType);
        if (protobuf < 0)
        {
            return Choice.Json;
        }

        var json = accepted.FindIndex(type => type is ApiResponses.Json or "application/*" or "*/*");
        return json < 0 ? Choice.ProtobufOnly : protobuf < json ? Choice.Protobuf : Choice.Json;
    }
}
