using k8s;
using k8s.Models;
using PodManager.Engine.Pods;
using PodManager.Engine.Running;
using PodManager.Engine.XCom;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Namespaces that enforce a Pod Security level: the XCom sidecar passes restricted, and a refusal says what to fix.</summary>
public sealed class PodSecurityTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    /// <summary>A base container the restricted level admits, as a manifest (the way a user meets it without parameters for it).</summary>
    private static string RestrictedManifest(string name, string ns, string script) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: base
            image: alpine
            command: [sh, -c, '{{script}}']
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop: [ALL]
        """;

    private async Task<string> NamespaceEnforcingAsync(string level)
    {
        var ns = TestPods.UniqueName("psa");
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeConfig));
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = level } },
        });
        return ns;
    }

    [Fact]
    public void TheXComSidecarMeetsTheRestrictedStandard()
    {
        var pod = XComSidecar.Add(PodFactory.Build(TestPods.Shell("true"), "default"), XComDefaults.DefaultImage, XComSidecar.Resources(null));
        var sidecar = pod.Spec.Containers.Single(c => c.Name == XComDefaults.SidecarName);

        Assert.Equal(true, sidecar.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, sidecar.SecurityContext.RunAsUser);
        Assert.Equal(false, sidecar.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], sidecar.SecurityContext.Capabilities.Drop);
        Assert.Equal("RuntimeDefault", sidecar.SecurityContext.SeccompProfile.Type);
        Assert.NotNull(sidecar.Resources.Requests);
        Assert.NotNull(sidecar.Resources.Limits);
    }

    [Fact]
    public async Task ARunWithTheXComSidecarSucceedsInANamespaceThatEnforcesRestricted()
    {
        var ns = await NamespaceEnforcingAsync("restricted");
        var manager = cluster.NewManager();
        var name = TestPods.UniqueName();
        var pod = PodDescription.FromManifest(RestrictedManifest(name, ns, "echo \"{\\\"ok\\\": 1}\" > /airflow/xcom/return.json"));

        var outcome = await manager.RunPodAsync(new PodRunRequest { Pod = pod, XCom = true, Timeout = TestPods.Generous }, CancellationToken.None);

        Assert.Null(outcome.Failure);
        Assert.Equal(PodPhase.Succeeded, outcome.Result.Phase);
        Assert.Equal("{\"ok\": 1}", outcome.Result.XComJson);
        Assert.True(outcome.Result.Deleted);
    }

    [Fact]
    public async Task ARestrictedRefusalIsPodSecurityViolationWithEachCheckAndItsFix()
    {
        var ns = await NamespaceEnforcingAsync("restricted");
        var manager = cluster.NewManager();

        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.CreatePodAsync(TestPods.Shell("true") with { Namespace = ns }, CancellationToken.None));

        Assert.Equal("PodSecurityViolation", error.ErrorId);
        Assert.Equal(403, error.StatusCode);
        Assert.Contains("enforces Pod Security \"restricted:latest\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("- allowPrivilegeEscalation != false (container \"base\" must set securityContext.allowPrivilegeEscalation=false): -SecurityContext Restricted, or in -Manifest securityContext.allowPrivilegeEscalation: false", error.Message, StringComparison.Ordinal);
        Assert.Contains("- unrestricted capabilities (container \"base\" must set securityContext.capabilities.drop=[\"ALL\"]): -SecurityContext Restricted", error.Message, StringComparison.Ordinal);
        Assert.Contains("- runAsNonRoot != true (pod or container \"base\" must set securityContext.runAsNonRoot=true): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("- seccompProfile (pod or container \"base\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABaselineRefusalIsPodSecurityViolationNamingTheManifestFieldToRemove()
    {
        var ns = await NamespaceEnforcingAsync("baseline");
        var manager = cluster.NewManager();
        var manifest = $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{TestPods.UniqueName()}}, namespace: {{ns}}}
            spec:
              hostNetwork: true
              containers:
              - name: base
                image: alpine
                command: ['true']
                securityContext:
                  privileged: true
            """;

        var error = await Assert.ThrowsAsync<PodManagerException>(() =>
            manager.CreatePodAsync(PodDescription.FromManifest(manifest).Pod, CancellationToken.None));

        Assert.Equal("PodSecurityViolation", error.ErrorId);
        Assert.Contains("enforces Pod Security \"baseline:latest\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("- host namespaces (hostNetwork=true): in -Manifest, remove hostNetwork, hostPID and hostIPC.", error.Message, StringComparison.Ordinal);
        Assert.Contains("- privileged (container \"base\" must not set securityContext.privileged=true): in -Manifest, remove securityContext.privileged: true.", error.Message, StringComparison.Ordinal);
    }
}
