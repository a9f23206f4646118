using k8s.Models;
using PodManager.TestCluster.ApiServer.Admission.PodSecurity;

namespace PodManager.TestCluster.Tests.ApiServer.Admission;

/// <summary>
/// Each check of the baseline and restricted standards, on a pod that is otherwise restricted-compliant, with the
/// exact wording of k8s.io/pod-security-admission; and the order and versions of the checks.
/// </summary>
public sealed class PodSecurityCheckTests
{
    private static readonly LevelVersion BaselineLatest = new(PodSecurityLevel.Baseline, null);
    private static readonly LevelVersion RestrictedLatest = new(PodSecurityLevel.Restricted, null);

    [Fact]
    public void ACompliantPodPassesBothLevelsAndPrivilegedChecksNothing()
    {
        Assert.Empty(PodSecurityChecks.Evaluate(RestrictedLatest, new V1ObjectMeta(), Compliant().Spec));
        Assert.Empty(PodSecurityChecks.Evaluate(BaselineLatest, new V1ObjectMeta(), Compliant().Spec));
        Assert.Empty(PodSecurityChecks.Evaluate(LevelVersion.PrivilegedLatest, new V1ObjectMeta(), new V1Pod { Spec = new V1PodSpec { HostNetwork = true, Containers = [new V1Container { Name = "a" }] } }.Spec));
    }

    [Fact]
    public void APodWithoutASecurityContextFailsTheFourRestrictedChecksInTheRealOrder()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "base", Image = "alpine" }] } };

        Assert.Equal(
            "allowPrivilegeEscalation != false (container \"base\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"base\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"base\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"base\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Restricted(pod));
        Assert.Equal(string.Empty, Baseline(pod));
    }

    [Fact]
    public void HostNamespaces()
    {
        var pod = Compliant();
        pod.Spec.HostNetwork = true;
        pod.Spec.HostPID = true;
        pod.Spec.HostIPC = true;

        Assert.Equal("host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)", Baseline(pod));
        Assert.Equal(Baseline(pod), Restricted(pod));
    }

    [Fact]
    public void Privileged()
    {
        var pod = Compliant();
        pod.Spec.Containers[0].SecurityContext.Privileged = true;

        Assert.Equal("privileged (container \"base\" must not set securityContext.privileged=true)", Baseline(pod));
    }

    [Fact]
    public void CapabilitiesBeyondTheBaselineSetAndAnythingButNetBindServiceWhenRestricted()
    {
        var pod = Compliant();
        pod.Spec.Containers[0].SecurityContext.Capabilities.Add = ["SYS_TIME", "CHOWN", "NET_ADMIN", "NET_BIND_SERVICE"];

        Assert.Equal("non-default capabilities (container \"base\" must not include \"NET_ADMIN\", \"SYS_TIME\" in securityContext.capabilities.add)", Baseline(pod));
        Assert.Equal("unrestricted capabilities (container \"base\" must not include \"CHOWN\", \"NET_ADMIN\", \"SYS_TIME\" in securityContext.capabilities.add)", Restricted(pod));

        pod.Spec.Containers[0].SecurityContext.Capabilities = new V1Capabilities { Add = ["NET_BIND_SERVICE"] };
        Assert.Equal("unrestricted capabilities (container \"base\" must set securityContext.capabilities.drop=[\"ALL\"])", Restricted(pod));
    }

    [Fact]
    public void HostPathVolumesAndRestrictedVolumeTypes()
    {
        var pod = Compliant();
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/etc" } },
            new V1Volume { Name = "data", Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "/" } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "c" } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = "s" } },
        ];

        Assert.Equal("hostPath volumes (volume \"host\")", Baseline(pod));
        Assert.Equal("restricted volume types (volumes \"host\", \"data\" use restricted volume types \"hostPath\", \"nfs\")", Restricted(pod));
    }

    [Fact]
    public void HostPortsOfEveryContainerSortedAsText()
    {
        var pod = Compliant();
        pod.Spec.Containers.Add(Container("side"));
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 8080, HostPort = 8080 }, new V1ContainerPort { ContainerPort = 9090 }];
        pod.Spec.Containers[1].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 80 }];

        Assert.Equal("hostPort (containers \"base\", \"side\" use hostPorts 80, 8080)", Baseline(pod));
    }

    [Fact]
    public void AppArmorProfilesByFieldAndByAnnotation()
    {
        var pod = Compliant();
        pod.Spec.Containers[0].SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" };
        var annotations = new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/base"] = "unconfined" } };

        Assert.Equal("forbidden AppArmor profile (container \"base\" must not set AppArmor profile type to \"Unconfined\")", Baseline(pod));
        Assert.Equal(
            "forbidden AppArmor profiles (container \"base\" and annotation must not set AppArmor profile type to \"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/base=\"unconfined\"\")",
            PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(BaselineLatest, annotations, pod.Spec)));
        pod.Spec.Containers[0].SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Localhost", LocalhostProfile = "mine" };
        Assert.Equal(string.Empty, Baseline(pod));
    }

    [Fact]
    public void SeLinuxOptions()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.SeLinuxOptions = new V1SELinuxOptions { Type = "spc_t", User = "system_u" };
        pod.Spec.Containers[0].SecurityContext.SeLinuxOptions = new V1SELinuxOptions { Role = "sysadm_r" };

        Assert.Equal("seLinuxOptions (pod and container \"base\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; role may not be set)", Baseline(pod));

        pod.Spec.SecurityContext.SeLinuxOptions = new V1SELinuxOptions { Type = "container_engine_t" };
        pod.Spec.Containers[0].SecurityContext.SeLinuxOptions = null;
        Assert.Equal(string.Empty, Baseline(pod));
        Assert.Equal(
            "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\")",
            PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(new LevelVersion(PodSecurityLevel.Baseline, 30), new V1ObjectMeta(), pod.Spec)));
    }

    [Fact]
    public void ProcMount()
    {
        var pod = Compliant();
        pod.Spec.Containers[0].SecurityContext.ProcMount = "Unmasked";

        Assert.Equal("procMount (container \"base\" must not set securityContext.procMount to \"Unmasked\")", Baseline(pod));
    }

    [Fact]
    public void SeccompUnconfinedAndMissing()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" };

        Assert.Equal("seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")", Baseline(pod));
        Assert.Equal("seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")", Restricted(pod));

        pod.Spec.SecurityContext.SeccompProfile = null;
        pod.Spec.Containers[0].SecurityContext.SeccompProfile = null;
        Assert.Equal(string.Empty, Baseline(pod));
        Assert.Equal("seccompProfile (pod or container \"base\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")", Restricted(pod));
    }

    [Fact]
    public void SysctlsOutsideTheSafeSetOfTheVersion()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "1" }, new V1Sysctl { Name = "net.ipv4.tcp_rmem", Value = "4096 87380 16777216" }];

        Assert.Equal("forbidden sysctls (kernel.msgmax)", Baseline(pod));
        Assert.Equal(
            "forbidden sysctls (kernel.msgmax, net.ipv4.tcp_rmem)",
            PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(new LevelVersion(PodSecurityLevel.Baseline, 31), new V1ObjectMeta(), pod.Spec)));
    }

    [Fact]
    public void WindowsHostProcess()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true };

        Assert.Equal("hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)", Baseline(pod));
    }

    [Fact]
    public void AllowPrivilegeEscalationCoversInitContainersFirst()
    {
        var pod = Compliant();
        pod.Spec.InitContainers = [Container("init")];
        pod.Spec.InitContainers[0].SecurityContext.AllowPrivilegeEscalation = null;
        pod.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = true;

        Assert.Equal("allowPrivilegeEscalation != false (containers \"init\", \"base\" must set securityContext.allowPrivilegeEscalation=false)", Restricted(pod));
        Assert.Equal(string.Empty, Baseline(pod));
    }

    [Fact]
    public void RunAsNonRootExplicitlyFalseAndCoveredByThePod()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.RunAsNonRoot = false;

        Assert.Equal("runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)", Restricted(pod));

        pod.Spec.SecurityContext.RunAsNonRoot = true;
        pod.Spec.Containers[0].SecurityContext.RunAsNonRoot = null;
        Assert.Equal(string.Empty, Restricted(pod));
    }

    [Fact]
    public void RunAsUserZero()
    {
        var pod = Compliant();
        pod.Spec.SecurityContext.RunAsUser = 0;
        pod.Spec.Containers[0].SecurityContext.RunAsUser = 0;

        Assert.Equal("runAsUser=0 (pod and container \"base\" must not set runAsUser=0)", Restricted(pod));
        Assert.Equal(string.Empty, Baseline(pod));
    }

    [Fact]
    public void BaselineChecksComeFirstThenRestrictedEachSortedById()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { HostNetwork = true, Containers = [new V1Container { Name = "base", SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 } }] } };

        var reasons = PodSecurityChecks.Evaluate(RestrictedLatest, new V1ObjectMeta(), pod.Spec).Select(r => r.Reason);

        Assert.Equal(["host namespaces", "privileged", "allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "runAsUser=0", "seccompProfile"], reasons);
    }

    [Fact]
    public void OlderPolicyVersionsRunTheChecksOfTheirTime()
    {
        var pod = Compliant();
        pod.Spec.Containers[0].SecurityContext.Capabilities = new V1Capabilities { Add = ["NET_ADMIN"] };
        pod.Spec.Containers[0].SecurityContext.RunAsUser = 0;

        // capabilities_restricted and runAsUser arrived in 1.22 and 1.23; before, the baseline capabilities check applies.
        Assert.Equal(["non-default capabilities"], Reasons(new LevelVersion(PodSecurityLevel.Restricted, 21), pod));
        Assert.Equal(["unrestricted capabilities"], Reasons(new LevelVersion(PodSecurityLevel.Restricted, 22), pod));
        Assert.Equal(["unrestricted capabilities", "runAsUser=0"], Reasons(new LevelVersion(PodSecurityLevel.Restricted, 23), pod));

        // From 1.25 a Windows pod is exempt from the Linux-only restricted checks.
        var windows = new V1Pod { Spec = new V1PodSpec { Os = new V1PodOS { Name = "windows" }, Containers = [new V1Container { Name = "base" }] } };
        Assert.Equal(["allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile"], Reasons(new LevelVersion(PodSecurityLevel.Restricted, 24), windows));
        Assert.Equal(["runAsNonRoot != true"], Reasons(new LevelVersion(PodSecurityLevel.Restricted, 25), windows));
    }

    [Fact]
    public void NamespaceLabelsResolveToAPolicyAndBadValuesAreErrors()
    {
        var policy = PodSecurityPolicy.FromLabels(new Dictionary<string, string>
        {
            ["pod-security.kubernetes.io/enforce"] = "baseline",
            ["pod-security.kubernetes.io/enforce-version"] = "v1.24",
            ["pod-security.kubernetes.io/warn"] = "restricted",
        });
        var bad = PodSecurityPolicy.FromLabels(new Dictionary<string, string>
        {
            ["pod-security.kubernetes.io/enforce"] = "Restricted",
            ["pod-security.kubernetes.io/warn"] = "strict",
            ["pod-security.kubernetes.io/audit-version"] = "1.24",
        });

        Assert.Equal("baseline:v1.24", policy.Enforce.ToString());
        Assert.Equal("restricted:latest", policy.Warn.ToString());
        Assert.Equal("privileged:latest", policy.Audit.ToString());
        Assert.Empty(policy.Errors);
        Assert.True(PodSecurityPolicy.FromLabels(null).IsPrivileged);
        Assert.Equal("restricted:latest", bad.Enforce.ToString());
        Assert.Equal("privileged:latest", bad.Warn.ToString());
        Assert.Equal(
            [
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"Restricted\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.24\": must be \"latest\" or \"v1.x\"",
                "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            ],
            bad.Errors.Select(e => e.ToString()));
    }

    private static string Baseline(V1Pod pod) => PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(BaselineLatest, pod.Metadata ?? new V1ObjectMeta(), pod.Spec));

    private static string Restricted(V1Pod pod) => PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(RestrictedLatest, pod.Metadata ?? new V1ObjectMeta(), pod.Spec));

    private static IEnumerable<string> Reasons(LevelVersion level, V1Pod pod) => PodSecurityChecks.Evaluate(level, new V1ObjectMeta(), pod.Spec).Select(r => r.Reason);

    /// <summary>A pod that meets the restricted standard, to spoil one field at a time.</summary>
    private static V1Pod Compliant() => new()
    {
        Metadata = new V1ObjectMeta { Name = "p" },
        Spec = new V1PodSpec
        {
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers = [Container("base")],
        },
    };

    private static V1Container Container(string name) => new()
    {
        Name = name,
        Image = "alpine:3.19",
        SecurityContext = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            RunAsNonRoot = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
    };
}
