using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer.Admission;

/// <summary>The PodSecurity admission plugin as clients meet it: 403s, Warning headers, label validation.</summary>
public sealed class PodSecurityAdmissionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string RestrictedMessage =
        "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"base\" must set securityContext.allowPrivilegeEscalation=false), " +
        "unrestricted capabilities (container \"base\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
        "runAsNonRoot != true (pod or container \"base\" must set securityContext.runAsNonRoot=true), " +
        "seccompProfile (pod or container \"base\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    [Fact]
    public async Task TheDefaultNamespaceEnforcesNothingAndWarnsNothing()
    {
        using var http = cluster.Http();
        var pod = Pods.Shell(Pods.Unique("root"), "true");
        pod.Spec.HostNetwork = true;
        pod.Spec.Containers[0].SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 };

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent(KubernetesJson.Serialize(pod), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task EnforceRestrictedRefusesANonCompliantPodWithTheRealMessageAndCreatesNothing()
    {
        var ns = await NamespaceAsync(("enforce", "restricted"));
        var name = Pods.Unique("plain");

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), ns), 403, "Forbidden");
        var dryRun = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), ns, dryRun: "All"), 403, "Forbidden");

        Assert.Equal($"pods \"{name}\" is forbidden: {RestrictedMessage}", status.GetProperty("message").GetString());
        Assert.Equal("pods", status.GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal(name, status.GetProperty("details").GetProperty("name").GetString());
        Assert.Equal(status.GetProperty("message").GetString(), dryRun.GetProperty("message").GetString());
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task AGeneratedNameIsTheNameInTheMessage()
    {
        var ns = await NamespaceAsync(("enforce", "restricted"));
        var pod = Pods.Shell(null!, "true");
        pod.Metadata.GenerateName = "job-";

        var status = await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns), 403, "Forbidden");

        Assert.Matches("^pods \"job-[a-z0-9]{5}\" is forbidden: violates PodSecurity \"restricted:latest\": ", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ACompliantPodIsAdmittedAndRunsUnderEnforceRestricted()
    {
        var ns = await NamespaceAsync(("enforce", "restricted"));
        var name = Pods.Unique("compliant");
        var pod = Pods.Shell(name, "id -u");
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } };
        pod.Spec.Containers[0].SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } };

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var finished = await Waits.ForCompletionAsync(cluster.Client, ns, name);

        Assert.Equal("Succeeded", finished.Status.Phase);
        Assert.Equal("1000\n", await Waits.LogAsync(cluster.Client, ns, name));
    }

    [Fact]
    public async Task WarnAddsAWarningHeaderAndAdmitsThePod()
    {
        var ns = await NamespaceAsync(("enforce", "baseline"), ("warn", "restricted"), ("audit", "restricted"));
        var name = Pods.Unique("warned");
        using var http = cluster.Http();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", new StringContent(KubernetesJson.Serialize(Pods.Shell(name, "true")), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single(response.Headers.GetValues("Warning"));
        var expected = "would violate" + RestrictedMessage["violates".Length..];
        Assert.Equal($"299 - \"{expected.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", warning);
    }

    [Fact]
    public async Task ARefusedPodGetsNoWarningAndTheVersionLabelNamesThePolicy()
    {
        var ns = await NamespaceAsync(("enforce", "baseline"), ("enforce-version", "v1.30"), ("warn", "baseline"));
        var name = Pods.Unique("host");
        var pod = Pods.Shell(name, "true");
        pod.Spec.HostPID = true;
        using var http = cluster.Http();

        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", new StringContent(KubernetesJson.Serialize(pod), System.Text.Encoding.UTF8, "application/json"));
        var status = await StatusAssert.ResponseAsync(response, 403, "Forbidden");

        Assert.Equal($"pods \"{name}\" is forbidden: violates PodSecurity \"baseline:v1.30\": host namespaces (hostPID=true)", status.GetProperty("message").GetString());
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task AnImageChangeIsCheckedAgainstAnEnforceLevelSetLaterButALabelChangeIsNot()
    {
        var ns = await NamespaceAsync();
        var name = Pods.Unique("later");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), ns);
        await cluster.Client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"restricted"}}}""", V1Patch.PatchType.MergePatch), ns);

        var labelled = await cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"kept":"yes"}}}""", V1Patch.PatchType.MergePatch), name, ns);
        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"spec":{"containers":[{"name":"base","image":"alpine:3.20"}]}}""", V1Patch.PatchType.StrategicMergePatch), name, ns),
            403,
            "Forbidden");

        Assert.Equal("yes", labelled.Metadata.Labels["kept"]);
        Assert.StartsWith($"pods \"{name}\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task NamespaceLabelsThatDoNotParseAreInvalid()
    {
        var name = Pods.Unique("bad-labels");
        var status = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "bogus" } } }),
            422,
            "Invalid");
        var ns = await NamespaceAsync(("warn", "baseline"));
        var update = await StatusAssert.ThrowsAsync(
            () => cluster.Client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"pod-security.kubernetes.io/warn-version":"1.30"}}}""", V1Patch.PatchType.MergePatch), ns),
            422,
            "Invalid");

        Assert.Equal($"Namespace \"{name}\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted", status.GetProperty("message").GetString());
        Assert.Equal($"Namespace \"{ns}\" is invalid: metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.30\": must be \"latest\" or \"v1.x\"", update.GetProperty("message").GetString());
    }

    private async Task<string> NamespaceAsync(params (string Mode, string Value)[] labels)
    {
        var name = Pods.Unique("psa");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels.ToDictionary(l => $"pod-security.kubernetes.io/{l.Mode}", l => l.Value) },
        });
        return name;
    }
}
