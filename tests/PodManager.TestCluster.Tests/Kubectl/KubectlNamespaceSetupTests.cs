using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary>
/// What a user runs to set up a namespace for a runbook test. kubectl's <c>create</c> generators send protobuf bodies
/// and read protobuf answers (client-go's typed clients), so each command also checks both directions of protobuf.
/// </summary>
public sealed class KubectlNamespaceSetupTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);
    private readonly string directory = Directory.CreateTempSubdirectory("kubectl-setup-").FullName;

    public void Dispose()
    {
        kubectl.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task CreateNamespacePrintsCreatedAndASecondTimeAlreadyExists()
    {
        var ns = Pods.Unique("runbook");

        var created = await kubectl.OutputAsync("create", "namespace", ns);
        var again = await kubectl.RunAsync("create", "namespace", ns);
        var shown = await kubectl.OutputAsync("get", "namespace", ns, "-o", "jsonpath={.status.phase} {.metadata.labels.kubernetes\\.io/metadata\\.name}");

        Assert.Equal($"namespace/{ns} created\n", created);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"Error from server (AlreadyExists): namespaces \"{ns}\" already exists\n", again.Error);
        Assert.Equal($"Active {ns}", shown);
    }

    [Fact]
    public async Task CreateConfigMapFromLiteralsAndAFile()
    {
        var ns = await NamespaceAsync();
        var file = Path.Combine(directory, "settings.ini");
        await File.WriteAllTextAsync(file, "retries=3\n");

        var created = await kubectl.OutputAsync("create", "configmap", "settings", "-n", ns, "--from-literal=color=blue", "--from-literal=size=10", $"--from-file={file}");
        var data = await kubectl.OutputAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.color} {.data.size} {.data.settings\\.ini}");
        var table = await kubectl.OutputAsync("get", "configmap", "settings", "-n", ns);

        Assert.Equal("configmap/settings created\n", created);
        Assert.Equal("blue 10 retries=3\n", data);
        Assert.Matches(@"^NAME\s+DATA\s+AGE\nsettings\s+3\s+\d+s\n$", table);
    }

    [Fact]
    public async Task CreateGenericDockerRegistryAndTlsSecrets()
    {
        var ns = await NamespaceAsync();
        var (certificate, key) = await WriteCertificateAsync();

        var generic = await kubectl.OutputAsync("create", "secret", "generic", "db", "-n", ns, "--from-literal=user=admin", "--from-literal=password=s3cr3t");
        var registry = await kubectl.OutputAsync("create", "secret", "docker-registry", "pull", "-n", ns, "--docker-server=registry.example", "--docker-username=robot", "--docker-password=token");
        var tls = await kubectl.OutputAsync("create", "secret", "tls", "web", "-n", ns, $"--cert={certificate}", $"--key={key}");
        var password = await kubectl.OutputAsync("get", "secret", "db", "-n", ns, "-o", "jsonpath={.data.password}");
        var dockerConfig = await kubectl.OutputAsync("get", "secret", "pull", "-n", ns, "-o", "jsonpath={.data.\\.dockerconfigjson}");
        var table = await kubectl.OutputAsync("get", "secrets", "-n", ns);

        Assert.Equal("secret/db created\n", generic);
        Assert.Equal("secret/pull created\n", registry);
        Assert.Equal("secret/web created\n", tls);
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(Convert.FromBase64String(password)));
        Assert.Contains("\"registry.example\"", Encoding.UTF8.GetString(Convert.FromBase64String(dockerConfig)), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^db\s+Opaque\s+2\s+\d+s$", table);
        Assert.Matches(@"(?m)^pull\s+kubernetes.io/dockerconfigjson\s+1\s+\d+s$", table);
        Assert.Matches(@"(?m)^web\s+kubernetes.io/tls\s+2\s+\d+s$", table);
    }

    [Fact]
    public async Task CreateServiceAccount()
    {
        var ns = await NamespaceAsync();

        var created = await kubectl.OutputAsync("create", "serviceaccount", "runner", "-n", ns);
        var table = await kubectl.OutputAsync("get", "serviceaccounts", "-n", ns);
        var byShortName = await kubectl.OutputAsync("get", "sa", "runner", "-n", ns, "-o", "name");

        Assert.Equal("serviceaccount/runner created\n", created);
        Assert.Matches(@"(?m)^NAME\s+SECRETS\s+AGE\nrunner\s+0\s+\d+s$", table);
        Assert.Equal("serviceaccount/runner\n", byShortName);
    }

    [Fact]
    public async Task CreateRoleAndRoleBindingGrantAServiceAccountWhatTheyName()
    {
        var ns = await NamespaceAsync();
        await kubectl.OutputAsync("create", "serviceaccount", "runner", "-n", ns);
        var runner = $"--as=system:serviceaccount:{ns}:runner";

        var role = await kubectl.OutputAsync("create", "role", "pod-runner", "--verb=create,get,list,watch,delete", "--resource=pods,pods/log", "-n", ns);
        var binding = await kubectl.OutputAsync("create", "rolebinding", "pod-runner", "--role=pod-runner", $"--serviceaccount={ns}:runner", "-n", ns);
        var roles = await kubectl.OutputAsync("get", "roles", "-n", ns);
        var bindings = await kubectl.OutputAsync("get", "rolebindings", "-n", ns, "-o", "wide");
        var mayCreate = await kubectl.OutputAsync("auth", "can-i", "create", "pods", "-n", ns, runner);
        // "pods/log" would name a pod called "log" (TYPE/NAME): a subresource is given with --subresource.
        var mayReadLogs = await kubectl.OutputAsync("auth", "can-i", "get", "pods", "--subresource=log", "-n", ns, runner);
        var mayExec = await kubectl.RunAsync("auth", "can-i", "create", "pods", "--subresource=exec", "-n", ns, runner);

        Assert.Equal("role.rbac.authorization.k8s.io/pod-runner created\n", role);
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/pod-runner created\n", binding);
        Assert.Matches(@"(?m)^NAME\s+CREATED AT\npod-runner\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", roles);
        Assert.Matches($@"(?m)^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\npod-runner\s+Role/pod-runner\s+\d+s\s+{ns}/runner$", bindings);
        Assert.Equal("yes\n", mayCreate);
        Assert.Equal("yes\n", mayReadLogs);
        Assert.Equal(1, mayExec.ExitCode);
        Assert.Equal("no\n", mayExec.Output);
    }

    [Fact]
    public async Task RunCreatesAPodThatRuns()
    {
        var ns = await NamespaceAsync();

        var created = await kubectl.OutputAsync("run", "probe", "-n", ns, "--image=alpine", "--restart=Never", "--command", "--", "sh", "-c", "echo from kubectl run");
        await kubectl.OutputAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/probe", "-n", ns, "--timeout=90s");
        var logs = await kubectl.OutputAsync("logs", "probe", "-n", ns);

        Assert.Equal("pod/probe created\n", created);
        Assert.Equal("from kubectl run\n", logs);
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = Pods.Unique("runbook");
        await kubectl.OutputAsync("create", "namespace", ns);
        return ns;
    }

    private async Task<(string Certificate, string Key)> WriteCertificateAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=web.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
