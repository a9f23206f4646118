using System.Text;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Hosting;

/// <summary>Writes the cluster's kubeconfig: context <c>testcluster</c> (full access, the current context) and
/// <c>testcluster-readonly</c>, both in namespace <c>default</c>.</summary>
internal static class KubeConfigFile
{
    public const string ContextName = "testcluster";
    public const string ReadOnlyContextName = "testcluster-readonly";

    public static async Task WriteAsync(string path, Uri server, string authorityPem, string token, string readOnlyToken, CancellationToken cancellationToken)
    {
        var authority = Convert.ToBase64String(Encoding.UTF8.GetBytes(authorityPem));
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{ContextName}}
              cluster:
                server: {{server.ToString().TrimEnd('/')}}
                certificate-authority-data: {{authority}}
            users:
            - name: {{ContextName}}
              user:
                token: {{token}}
            - name: {{ReadOnlyContextName}}
              user:
                token: {{readOnlyToken}}
            contexts:
            - name: {{ContextName}}
              context:
                cluster: {{ContextName}}
                user: {{ContextName}}
                namespace: default
            - name: {{ReadOnlyContextName}}
              context:
                cluster: {{ContextName}}
                user: {{ReadOnlyContextName}}
                namespace: default
            current-context: {{ContextName}}
            preferences: {}

            """;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);

        // Written aside and renamed, so a reader never sees half a file.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        UnixFiles.SetMode(temporary, UnixFiles.Private);

        File.Move(temporary, path, overwrite: true);
    }
}
