using System.Text;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Hosting;

/// <summary>Writes the cluster's kubeconfig: one cluster, and a user and context of the same name for each of
/// <see cref="TestClusterContexts"/>, all in namespace <c>default</c>; <c>testcluster</c> is the current context.</summary>
internal static class KubeConfigFile
{
    public static async Task WriteAsync(string path, Uri server, string authorityPem, ClusterCredentials credentials, CancellationToken cancellationToken)
    {
        var authority = Convert.ToBase64String(Encoding.UTF8.GetBytes(authorityPem));
        var text = new StringBuilder($$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{TestClusterContexts.Admin}}
              cluster:
                server: {{server.ToString().TrimEnd('/')}}
                certificate-authority-data: {{authority}}
            users:

            """);
        foreach (var user in ClusterUsers.All)
        {
            text.Append($"- name: {user.Info.Name}\n  user:\n").Append(user.Credential switch
            {
                CredentialKind.TokenFile => $"    tokenFile: {Quoted(credentials.TokenFilePath)}\n",
                CredentialKind.ExecPlugin => $"""
                        exec:
                          apiVersion: {ClusterCredentials.ExecApiVersion}
                          command: {Quoted(credentials.ExecPluginPath)}
                          interactiveMode: Never
                          provideClusterInfo: false

                    """,
                _ => $"    token: {credentials.TokenFor(user.Info.Name)}\n",
            });
        }

        text.Append("contexts:\n");
        foreach (var context in TestClusterContexts.All)
        {
            text.Append($"- name: {context}\n  context:\n    cluster: {TestClusterContexts.Admin}\n    user: {context}\n    namespace: default\n");
        }

        text.Append($"current-context: {TestClusterContexts.Admin}\npreferences: {{}}\n");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);

        // Written aside and renamed, so a reader never sees half a file.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, text.ToString(), cancellationToken);
        UnixFiles.SetMode(temporary, UnixFiles.Private);

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A YAML single-quoted scalar, so any path reads back as written.</summary>
    private static string Quoted(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
