using System.Globalization;
using System.Text.Json;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Hosting;

/// <summary>
/// The credentials of the kubeconfig's users (<see cref="TestClusterContexts"/>). Admin, read-only, podmanager and
/// no-list hold static tokens that never expire. The expiring user's static token, the token file and the exec
/// plugin's credential live for the token lifetime. The token file and the exec plugin's credential are renewed
/// when 80% of their lifetime has passed, as the kubelet renews projected service-account tokens (the previous
/// token keeps working until it expires), and at once on <see cref="Rotate"/>, which ends the previous ones after
/// a grace period.
/// </summary>
internal sealed class ClusterCredentials : IDisposable
{
    public const string ExecApiVersion = "client.authentication.k8s.io/v1";

    private readonly TokenAuthenticator tokens;
    private readonly TimeProvider time;
    private readonly TimeSpan lifetime;
    private readonly Dictionary<string, string> staticTokens = [];
    private readonly Lock gate = new();
    private readonly ITimer renewal;
    private string fileToken = string.Empty;
    private string execToken = string.Empty;
    private bool disposed;

    public ClusterCredentials(TokenAuthenticator tokens, TimeProvider time, TimeSpan lifetime, string directory)
    {
        this.tokens = tokens;
        this.time = time;
        this.lifetime = lifetime;
        Directory.CreateDirectory(directory);
        TokenFilePath = Path.Combine(directory, "token");
        ExecCredentialPath = Path.Combine(directory, "exec-credential.json");
        ExecPluginPath = Path.Combine(directory, "exec-credential-plugin");
        foreach (var user in ClusterUsers.All.Where(u => u.Credential == CredentialKind.StaticToken))
        {
            staticTokens[user.Info.Name] = tokens.Issue(user.Info, null);
        }

        staticTokens[TestClusterContexts.Expiring] = tokens.Issue(ClusterUsers.Find(TestClusterContexts.Expiring).Info, Expiry());
        WritePlugin();
        renewal = time.CreateTimer(_ => Renew(TimeSpan.MaxValue), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Renew(TimeSpan.MaxValue);
    }

    /// <summary>The file the <c>testcluster-tokenfile</c> user's <c>tokenFile</c> names.</summary>
    public string TokenFilePath { get; }

    /// <summary>The command of the <c>testcluster-exec</c> user's exec credential plugin.</summary>
    public string ExecPluginPath { get; }

    private string ExecCredentialPath { get; }

    /// <summary>The token a context's user holds now (for the token file and exec plugin users, the current one).</summary>
    public string TokenFor(string context)
    {
        lock (gate)
        {
            return context switch
            {
                TestClusterContexts.TokenFile => fileToken,
                TestClusterContexts.Exec => execToken,
                _ => staticTokens.TryGetValue(context, out var token) ? token : throw new ArgumentException($"unknown context {context}; one of {string.Join(", ", TestClusterContexts.All)}", nameof(context)),
            };
        }
    }

    /// <summary>New tokens in the token file and for the exec plugin; the previous ones stop working after <paramref name="grace"/>.</summary>
    public void Rotate(TimeSpan grace) => Renew(grace);

    /// <summary>Every token with a lifetime (expiring, token file, exec plugin) stops working now; nothing is renewed.</summary>
    public void ExpireAll()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var token in new[] { staticTokens[TestClusterContexts.Expiring], fileToken, execToken })
            {
                tokens.ExpireAt(token, now);
            }
        }
    }

    /// <summary>A token for any user and groups (bind roles to them first), for a lifetime or for ever.</summary>
    public string Issue(string user, IEnumerable<string>? groups, TimeSpan? tokenLifetime) =>
        tokens.Issue(UserInfo.Create(user, groups), tokenLifetime is { } span ? time.GetUtcNow() + span : null);

    /// <summary>Stops renewing; a renewal under way finishes first, so the files are not written after the cluster's
    /// directory is removed.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        renewal.Dispose();
    }

    private void Renew(TimeSpan grace)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            var previous = new[] { fileToken, execToken }.Where(t => t.Length > 0).ToList();
            var expiry = Expiry();
            fileToken = tokens.Issue(ClusterUsers.Find(TestClusterContexts.TokenFile).Info, expiry);
            execToken = tokens.Issue(ClusterUsers.Find(TestClusterContexts.Exec).Info, expiry);
            WriteAtomically(TokenFilePath, fileToken, UnixFiles.Private);
            WriteAtomically(ExecCredentialPath, ExecCredential(execToken, expiry), UnixFiles.Private);
            if (grace != TimeSpan.MaxValue)
            {
                foreach (var token in previous)
                {
                    tokens.ExpireAt(token, time.GetUtcNow() + grace);
                }
            }

            renewal.Change(lifetime * 0.8, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Now plus the lifetime, in whole seconds, as an ExecCredential's expirationTimestamp can say it.</summary>
    private DateTimeOffset Expiry()
    {
        var expiry = time.GetUtcNow() + lifetime;
        return new DateTimeOffset(expiry.UtcTicks - (expiry.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private static string ExecCredential(string token, DateTimeOffset expiry) => JsonSerializer.Serialize(new
    {
        kind = "ExecCredential",
        apiVersion = ExecApiVersion,
        spec = new { interactive = false },
        status = new { expirationTimestamp = expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), token },
    });

    /// <summary>The plugin prints the credential the cluster keeps current, as a cloud provider's plugin prints a fresh one.</summary>
    private void WritePlugin() => WriteAtomically(ExecPluginPath, $"""
        #!/bin/sh
        # The PodManager test cluster's exec credential plugin: prints the current ExecCredential ({ExecApiVersion}).
        exec cat '{ExecCredentialPath.Replace("'", "'\\''", StringComparison.Ordinal)}'

        """, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>Written aside and renamed, so a reader never sees half a file.</summary>
    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text);
        UnixFiles.SetMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
