using System.Net.Http.Headers;

namespace PodManager.Engine.Connections;

/// <summary>
/// Who the engine acts as: the user named in messages, the token source to read again when the server refuses the
/// token (none for a static token or a certificate), and the identity a kubeconfig's <c>as:</c> and <c>as-groups:</c>
/// impersonate, sent on every request as kubectl sends it (<c>Impersonate-User</c>, one <c>Impersonate-Group</c> per group).
/// </summary>
internal sealed record ClientIdentity(string User, RefreshingToken? Refresh = null, string? ImpersonateUser = null, IReadOnlyList<string>? ImpersonateGroups = null)
{
    public const string ImpersonateUserHeader = "Impersonate-User";

    public const string ImpersonateGroupHeader = "Impersonate-Group";

    /// <summary>The impersonation headers, empty when the kubeconfig impersonates no one.</summary>
    public Dictionary<string, List<string>> ImpersonationHeaders()
    {
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(ImpersonateUser))
        {
            headers[ImpersonateUserHeader] = [ImpersonateUser];
        }

        if (ImpersonateGroups is { Count: > 0 } groups)
        {
            headers[ImpersonateGroupHeader] = [.. groups];
        }

        return headers;
    }

    /// <summary>Adds the impersonation headers to a request that has none yet.</summary>
    public void Apply(HttpRequestHeaders headers)
    {
        foreach (var (name, values) in ImpersonationHeaders())
        {
            if (!headers.Contains(name))
            {
                headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    /// <summary>Who was refused, for an Unauthorized message: the user, and as whom it acted.</summary>
    public string Describe() => ImpersonateUser is null ? User : $"{User} (impersonating \"{ImpersonateUser}\")";
}
