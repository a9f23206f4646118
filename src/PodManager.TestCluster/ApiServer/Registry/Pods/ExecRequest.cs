namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>The PodExecOptions of an exec request (repeated <c>command</c>, the stream flags, <c>tty</c>).</summary>
internal sealed record ExecRequest(IReadOnlyList<string> Command, string? Container, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static ExecRequest From(IQueryCollection query)
    {
        var request = new ExecRequest(
            QueryParameters.GetAll(query, "command"),
            QueryParameters.GetString(query, "container"),
            QueryParameters.GetBool(query, "stdin"),
            QueryParameters.GetBool(query, "stdout"),
            QueryParameters.GetBool(query, "stderr"),
            QueryParameters.GetBool(query, "tty"));
        if (!request.Stdin && !request.Stdout && !request.Stderr)
        {
            throw ApiErrors.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        if (request.Command.Count == 0)
        {
            throw ApiErrors.BadRequest("you must specify at least one command for the container");
        }

        // A terminal has no separate error stream.
        return request.Tty ? request with { Stderr = false } : request;
    }
}
