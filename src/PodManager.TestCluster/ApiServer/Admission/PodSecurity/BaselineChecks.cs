using k8s.Models;
using static PodManager.TestCluster.ApiServer.Admission.PodSecurity.CheckResult;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>
/// The checks of the baseline standard, each worded as its check_*.go in k8s.io/pod-security-admission/policy.
/// A check returns null when the pod passes.
/// </summary>
internal static class BaselineChecks
{
    private static readonly HashSet<string> DefaultCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    private static readonly string[] AllowedSysctls1_0 = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];
    private static readonly string[] AllowedSysctls1_27 = [.. AllowedSysctls1_0, "net.ipv4.ip_local_reserved_ports"];
    private static readonly string[] AllowedSysctls1_29 = [.. AllowedSysctls1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
    private static readonly string[] AllowedSysctls1_32 = [.. AllowedSysctls1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

    private static readonly string[] AllowedSeLinuxTypes1_0 = [string.Empty, "container_t", "container_init_t", "container_kvm_t"];
    private static readonly string[] AllowedSeLinuxTypes1_31 = [.. AllowedSeLinuxTypes1_0, "container_engine_t"];

    public static CheckResult? AppArmorProfile(V1ObjectMeta meta, V1PodSpec spec)
    {
        static bool Allowed(string? type) => type is "RuntimeDefault" or "Localhost";
        var setters = new List<string>();
        var values = new List<string>();
        if (spec.SecurityContext?.AppArmorProfile is { } podProfile && !Allowed(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type ?? string.Empty);
        }

        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.AppArmorProfile is { } profile && !Allowed(profile.Type)).ToList();
        if (containers.Count > 0)
        {
            setters.Add(Containers(containers.Select(c => c.Name).ToList()));
            values.AddRange(containers.Select(c => c.SecurityContext!.AppArmorProfile.Type ?? string.Empty));
        }

        var annotations = (meta.Annotations ?? new Dictionary<string, string>())
            .Where(a => a.Key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal)
                && !(string.IsNullOrEmpty(a.Value) || a.Value == "runtime/default" || a.Value.StartsWith("localhost/", StringComparison.Ordinal)))
            .Select(a => $"{a.Key}={Quote(a.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var badValues = Sorted(values);
        if (annotations.Count > 0)
        {
            badValues.AddRange(annotations);
            setters.Add(Pluralize("annotation", "annotations", annotations.Count));
        }

        return setters.Count == 0 ? null : new CheckResult(
            Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValues.Count),
            $"{string.Join(" and ", setters)} must not set AppArmor profile type to {JoinQuote(badValues)}");
    }

    public static CheckResult? Capabilities(V1ObjectMeta meta, V1PodSpec spec)
    {
        var containers = new List<string>();
        var added = new List<string>();
        foreach (var container in PodContainerView.All(spec))
        {
            var forbidden = (container.SecurityContext?.Capabilities?.Add ?? []).Where(c => !DefaultCapabilities.Contains(c)).ToList();
            if (forbidden.Count > 0)
            {
                containers.Add(container.Name);
                added.AddRange(forbidden);
            }
        }

        return containers.Count == 0 ? null : new CheckResult(
            "non-default capabilities",
            $"{Containers(containers)} must not include {JoinQuote(Sorted(added))} in securityContext.capabilities.add");
    }

    public static CheckResult? HostNamespaces(V1ObjectMeta meta, V1PodSpec spec)
    {
        var shared = new List<string>();
        if (spec.HostNetwork == true)
        {
            shared.Add("hostNetwork=true");
        }

        if (spec.HostPID == true)
        {
            shared.Add("hostPID=true");
        }

        if (spec.HostIPC == true)
        {
            shared.Add("hostIPC=true");
        }

        return shared.Count == 0 ? null : new CheckResult("host namespaces", string.Join(", ", shared));
    }

    public static CheckResult? HostPathVolumes(V1ObjectMeta meta, V1PodSpec spec)
    {
        var volumes = (spec.Volumes ?? []).Where(v => v.HostPath is not null).Select(v => v.Name).ToList();
        return volumes.Count == 0 ? null : new CheckResult("hostPath volumes", $"{Pluralize("volume", "volumes", volumes.Count)} {JoinQuote(volumes)}");
    }

    public static CheckResult? HostPorts(V1ObjectMeta meta, V1PodSpec spec)
    {
        var containers = new List<string>();
        var ports = new List<string>();
        foreach (var container in PodContainerView.All(spec))
        {
            var hostPorts = (container.Ports ?? []).Where(p => p.HostPort is { } port && port != 0).Select(p => p.HostPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (hostPorts.Count > 0)
            {
                containers.Add(container.Name);
                ports.AddRange(hostPorts);
            }
        }

        // Ports are listed as sorted strings, as the real check's string set lists them.
        var sorted = Sorted(ports);
        return containers.Count == 0 ? null : new CheckResult(
            "hostPort",
            $"{Containers(containers)} {Pluralize("uses", "use", containers.Count)} {Pluralize("hostPort", "hostPorts", sorted.Count)} {string.Join(", ", sorted)}");
    }

    public static CheckResult? Privileged(V1ObjectMeta meta, V1PodSpec spec)
    {
        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.Privileged == true).Select(c => c.Name).ToList();
        return containers.Count == 0 ? null : new CheckResult("privileged", $"{Containers(containers)} must not set securityContext.privileged=true");
    }

    public static CheckResult? ProcMount(V1ObjectMeta meta, V1PodSpec spec)
    {
        var bad = PodContainerView.All(spec).Where(c => c.SecurityContext?.ProcMount is { } mount && mount != "Default").ToList();
        return bad.Count == 0 ? null : new CheckResult(
            "procMount",
            $"{Containers(bad.Select(c => c.Name).ToList())} must not set securityContext.procMount to {JoinQuote(Sorted(bad.Select(c => c.SecurityContext!.ProcMount)))}");
    }

    public static CheckResult? SeLinuxOptionsSince1_0(V1ObjectMeta meta, V1PodSpec spec) => SeLinuxOptions(spec, AllowedSeLinuxTypes1_0);

    public static CheckResult? SeLinuxOptionsSince1_31(V1ObjectMeta meta, V1PodSpec spec) => SeLinuxOptions(spec, AllowedSeLinuxTypes1_31);

    /// <summary>Before 1.19 seccomp was set by annotations.</summary>
    public static CheckResult? SeccompAnnotations(V1ObjectMeta meta, V1PodSpec spec)
    {
        static bool Valid(string value) => value is "runtime/default" or "docker/default" || value.StartsWith("localhost/", StringComparison.Ordinal);
        var annotations = meta.Annotations ?? new Dictionary<string, string>();
        var forbidden = new List<string>();
        const string podKey = "seccomp.security.alpha.kubernetes.io/pod";
        if (annotations.TryGetValue(podKey, out var podValue) && !Valid(podValue))
        {
            forbidden.Add($"{podKey}={Quote(podValue)}");
        }

        foreach (var container in PodContainerView.All(spec))
        {
            var key = "container.seccomp.security.alpha.kubernetes.io/" + container.Name;
            if (annotations.TryGetValue(key, out var value) && !Valid(value))
            {
                forbidden.Add($"{key}={Quote(value)}");
            }
        }

        var sorted = Sorted(forbidden);
        return sorted.Count == 0 ? null : new CheckResult("seccompProfile", $"forbidden {Pluralize("annotation", "annotations", sorted.Count)} {string.Join(", ", sorted)}");
    }

    public static CheckResult? SeccompProfile(V1ObjectMeta meta, V1PodSpec spec)
    {
        var setters = new List<string>();
        var values = new List<string>();
        if (spec.SecurityContext?.SeccompProfile is { } podProfile && !IsValidSeccomp(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type ?? string.Empty);
        }

        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.SeccompProfile is { } profile && !IsValidSeccomp(profile.Type)).ToList();
        if (containers.Count > 0)
        {
            setters.Add(Containers(containers.Select(c => c.Name).ToList()));
            values.AddRange(containers.Select(c => c.SecurityContext!.SeccompProfile.Type ?? string.Empty));
        }

        return setters.Count == 0 ? null : new CheckResult(
            "seccompProfile",
            $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(Sorted(values))}");
    }

    public static CheckResult? SysctlsSince1_0(V1ObjectMeta meta, V1PodSpec spec) => Sysctls(spec, AllowedSysctls1_0);

    public static CheckResult? SysctlsSince1_27(V1ObjectMeta meta, V1PodSpec spec) => Sysctls(spec, AllowedSysctls1_27);

    public static CheckResult? SysctlsSince1_29(V1ObjectMeta meta, V1PodSpec spec) => Sysctls(spec, AllowedSysctls1_29);

    public static CheckResult? SysctlsSince1_32(V1ObjectMeta meta, V1PodSpec spec) => Sysctls(spec, AllowedSysctls1_32);

    public static CheckResult? WindowsHostProcess(V1ObjectMeta meta, V1PodSpec spec)
    {
        var setters = new List<string>();
        if (spec.SecurityContext?.WindowsOptions?.HostProcess == true)
        {
            setters.Add("pod");
        }

        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.WindowsOptions?.HostProcess == true).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        return setters.Count == 0 ? null : new CheckResult("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true");
    }

    public static bool IsValidSeccomp(string? type) => type is "RuntimeDefault" or "Localhost";

    private static CheckResult? SeLinuxOptions(V1PodSpec spec, string[] allowedTypes)
    {
        var setters = new List<string>();
        var badTypes = new List<string>();
        var setUser = false;
        var setRole = false;
        bool Valid(V1SELinuxOptions options)
        {
            var valid = true;
            if (!allowedTypes.Contains(options.Type ?? string.Empty))
            {
                valid = false;
                badTypes.Add(options.Type ?? string.Empty);
            }

            if (!string.IsNullOrEmpty(options.User))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(options.Role))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }

        if (spec.SecurityContext?.SeLinuxOptions is { } podOptions && !Valid(podOptions))
        {
            setters.Add("pod");
        }

        var containers = PodContainerView.All(spec).Where(c => c.SecurityContext?.SeLinuxOptions is { } options && !Valid(options)).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        if (setters.Count == 0)
        {
            return null;
        }

        var problems = new List<string>();
        var types = Sorted(badTypes);
        if (types.Count > 0)
        {
            problems.Add($"{Pluralize("type", "types", types.Count)} {JoinQuote(types)}");
        }

        if (setUser)
        {
            problems.Add("user may not be set");
        }

        if (setRole)
        {
            problems.Add("role may not be set");
        }

        return new CheckResult("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", problems)}");
    }

    private static CheckResult? Sysctls(V1PodSpec spec, string[] allowed)
    {
        var forbidden = (spec.SecurityContext?.Sysctls ?? []).Select(s => s.Name).Where(name => !allowed.Contains(name)).ToList();
        return forbidden.Count == 0 ? null : new CheckResult("forbidden sysctls", string.Join(", ", forbidden));
    }
}
