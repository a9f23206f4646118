using k8s;
using k8s.KubeConfigModels;

namespace PodManager.Engine.Connections;

/// <summary>
/// The token sources KubernetesClient reads only once, or not at all, made refreshable: a kubeconfig user's
/// <c>tokenFile</c> (which KubernetesClient ignores), an <c>exec</c> credential plugin (which it re-runs only near the
/// expiry the plugin stated, so a token revoked earlier would never be replaced), and the in-cluster token file.
/// </summary>
internal static class TokenSources
{
    public static RefreshingToken File(string path, string what) =>
        new($"{what} {path}", async token => ((await System.IO.File.ReadAllTextAsync(path, token).ConfigureAwait(false)).Trim(), null), TimeProvider.System);

    /// <summary>
    /// Gives a <c>tokenFile</c> user the file's current token as its <c>token</c>, so that KubernetesClient, which does
    /// not know the field, accepts the user as having credentials; <see cref="Identity"/> then reads the file again as needed.
    /// </summary>
    public static void ReadTokenFile(K8SConfiguration config, string contextName)
    {
        var userName = config.Contexts.First(c => c.Name == contextName).ContextDetails?.User;
        if (config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials is not KubeConfigUserCredentials { TokenFile: { Length: > 0 } tokenFile } user
            || !string.IsNullOrEmpty(user.Token))
        {
            return;
        }

        var path = TokenFilePath(config, tokenFile);
        try
        {
            user.Token = System.IO.File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PodManagerException(ErrorIds.InvalidKubeConfig,
                $"The tokenFile '{path}' of user '{userName}' (context '{contextName}') cannot be read: {e.Message} Check that the file exists and is readable, or pick another -Context.", e)
                { IsFatal = true };
        }
    }

    private static string TokenFilePath(K8SConfiguration config, string tokenFile) =>
        Path.GetFullPath(tokenFile, config.FileName is { } file ? Path.GetDirectoryName(file) ?? "" : Environment.CurrentDirectory);

    /// <summary>Who the context's user is, with its token made refreshable when its source allows, and its impersonation.</summary>
    public static ClientIdentity Identity(K8SConfiguration config, string contextName, KubernetesClientConfiguration clientConfig)
    {
        var userName = config.Contexts.First(c => c.Name == contextName).ContextDetails?.User;
        var user = config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials;
        var describe = $"user \"{userName}\" of context \"{contextName}\"";
        RefreshingToken? refresh = null;
        if (user is KubeConfigUserCredentials { TokenFile: { Length: > 0 } tokenFile })
        {
            refresh = File(TokenFilePath(config, tokenFile), "token file");
        }
        else if (user?.ExternalExecution is { } exec && clientConfig.TokenProvider is not null)
        {
            // A plugin that gives a client certificate instead of a token leaves no token provider: nothing to refresh then.
            refresh = new RefreshingToken($"exec plugin {exec.Command}", _ => Task.Run(() =>
            {
                var status = KubernetesClientConfiguration.ExecuteExternalCommand(exec).Status;
                return (status.Token ?? "", status.ExpirationTimestamp is { } expiry ? new DateTimeOffset(expiry.ToUniversalTime()) : (DateTimeOffset?)null);
            }), TimeProvider.System);
        }

        if (refresh is not null)
        {
            clientConfig.AccessToken = null;
            clientConfig.TokenProvider = refresh;
        }

        return new ClientIdentity(describe, refresh, user?.Impersonate, user?.ImpersonateGroups?.ToList());
    }
}
