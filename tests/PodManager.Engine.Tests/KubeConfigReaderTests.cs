using k8s;
using PodManager.Engine.Connections;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class KubeConfigReaderTests : IDisposable
{
    // Every kind of entry kubectl writes, plus keys KubernetesClient does not model (they must be ignored alike).
    private const string KubeConfig = """
        apiVersion: v1
        kind: Config
        current-context: work
        preferences:
          colors: "true"
        clusters:
        - name: prod
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: Q0EgZGF0YQ==
            tls-server-name: api.internal
            proxy-url: http://proxy:3128
            extensions:
            - name: client.authentication.k8s.io/exec
              extension:
                audience: prod
        - name: lab
          cluster:
            server: https://lab:6443
            insecure-skip-tls-verify: true
        users:
        - name: alice
          user:
            token: secret-token-value
        - name: bob
          user:
            client-certificate: certs/bob.crt
            client-key: certs/bob.key
        - name: carol
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: get-token
              args: ["--cluster", "prod"]
              env:
              - name: REGION
                value: eu
              interactiveMode: Never
              provideClusterInfo: true
        - name: dave
          user:
            auth-provider:
              name: oidc
              config:
                client-id: kube
                id-token: an-id-token
        contexts:
        - name: work
          context:
            cluster: prod
            user: alice
            namespace: jobs
        - name: lab
          context:
            cluster: lab
            user: bob
        unknown-top-level: 1
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("podmanager-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteFile(string text, string name = "config")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsEveryEntryAsKubernetesClientDoes()
    {
        var path = WriteFile(KubeConfig);
        var theirs = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true);
        var ours = KubeConfigReader.Load(path)!;

        Assert.Equal(KubernetesYaml.Serialize(theirs), KubernetesYaml.Serialize(ours));
        Assert.Equal(theirs.FileName, ours.FileName);
        Assert.Equal(["work", "lab"], ours.Contexts.Select(c => c.Name));
        Assert.Equal("jobs", ours.Contexts.First().ContextDetails.Namespace);
        Assert.Equal(["--cluster", "prod"], ours.Users.Single(u => u.Name == "carol").UserCredentials.ExternalExecution.Arguments);
    }

    [Fact]
    public void RelativePathsInAFileResolveAgainstItsFolder()
    {
        var ours = KubeConfigReader.Load(WriteFile(KubeConfig))!;
        var client = KubernetesClientConfiguration.BuildConfigFromConfigObject(ours, "lab");
        Assert.Equal(Path.Combine(directory, "certs/bob.crt"), client.ClientCertificateFilePath);
        Assert.Equal(Path.Combine(directory, "certs/bob.key"), client.ClientKeyFilePath);
    }

    [Fact]
    public void ContentIsReadLikeAFileWithoutAFolder()
    {
        var ours = KubeConfigReader.Parse(KubeConfig)!;
        Assert.Null(ours.FileName);
        Assert.Equal(KubernetesYaml.Serialize(KubernetesClientConfiguration.LoadKubeConfig(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(KubeConfig)))), KubernetesYaml.Serialize(ours));
    }

    [Fact]
    public void ContentWithAByteOrderMarkKeepsItsFirstKey()
    {
        // As text decoded by hand from a secret's bytes arrives; YamlDotNet skips the mark, and this keeps it so.
        var ours = KubeConfigReader.Parse("\uFEFF" + KubeConfig)!;
        Assert.Equal("work", ours.CurrentContext);
    }

    [Fact]
    public void AnEmptyFileInAKubeconfigListAddsNothing()
    {
        // kubectl treats an empty or comments-only file of a KUBECONFIG list as an empty kubeconfig.
        var empty = WriteFile("# nothing here yet\n", "empty");
        var full = WriteFile(KubeConfig);
        var merged = KubeConfigMerger.Load([empty, full]);
        Assert.Equal("work", merged.CurrentContext);
        Assert.Equal(["work", "lab"], merged.Contexts.Select(c => c.Name));

        var error = Assert.Throws<InvalidDataException>(() => KubeConfigMerger.Load([empty, WriteFile("", "also-empty")]));
        Assert.Contains("every one of them is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsInvalidKubeConfigThatSaysSo()
    {
        var path = WriteFile("");
        var error = Assert.Throws<PodManagerException>(() => PodManager.Create(new ConnectionSettings { KubeConfigPath = path }));
        Assert.Equal("InvalidKubeConfig", error.ErrorId);
        Assert.Contains("it is empty", error.Message, StringComparison.Ordinal);
    }
}
