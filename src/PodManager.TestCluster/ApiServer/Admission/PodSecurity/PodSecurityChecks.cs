using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>One revision of a check, in force from policy version 1.<paramref name="MinimumMinor"/>; a restricted
/// check may override (replace) baseline checks it covers.</summary>
internal sealed record VersionedCheck(int MinimumMinor, Func<V1ObjectMeta, V1PodSpec, CheckResult?> Check, params string[] Overrides);

internal sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, params VersionedCheck[] Versions);

/// <summary>
/// The checks of both standards and their order, as the evaluator of k8s.io/pod-security-admission/policy
/// (registry.go) runs them: baseline checks sorted by id, then restricted checks sorted by id; at the restricted
/// level a baseline check that a restricted check overrides is skipped. <c>latest</c>, or a version newer than any
/// check, means the newest revision of each check, as on a 1.32 API server.
/// </summary>
internal static class PodSecurityChecks
{
    public const int LatestMinor = 32;

    private static readonly PodSecurityCheck[] All =
    [
        new("allowPrivilegeEscalation", PodSecurityLevel.Restricted,
            new VersionedCheck(8, RestrictedChecks.AllowPrivilegeEscalation),
            new VersionedCheck(25, RestrictedChecks.ExceptWindows(RestrictedChecks.AllowPrivilegeEscalation))),
        new("appArmorProfile", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.AppArmorProfile)),
        new("capabilities_baseline", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.Capabilities)),
        new("capabilities_restricted", PodSecurityLevel.Restricted,
            new VersionedCheck(22, RestrictedChecks.Capabilities, "capabilities_baseline"),
            new VersionedCheck(25, RestrictedChecks.ExceptWindows(RestrictedChecks.Capabilities), "capabilities_baseline")),
        new("hostNamespaces", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.HostNamespaces)),
        new("hostPathVolumes", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.HostPathVolumes)),
        new("hostPorts", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.HostPorts)),
        new("privileged", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.Privileged)),
        new("procMount", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.ProcMount)),
        new("restrictedVolumes", PodSecurityLevel.Restricted, new VersionedCheck(0, RestrictedChecks.RestrictedVolumes, "hostPathVolumes")),
        new("runAsNonRoot", PodSecurityLevel.Restricted, new VersionedCheck(0, RestrictedChecks.RunAsNonRoot)),
        new("runAsUser", PodSecurityLevel.Restricted, new VersionedCheck(23, RestrictedChecks.RunAsUser)),
        new("seLinuxOptions", PodSecurityLevel.Baseline,
            new VersionedCheck(0, BaselineChecks.SeLinuxOptionsSince1_0),
            new VersionedCheck(31, BaselineChecks.SeLinuxOptionsSince1_31)),
        new("seccompProfile_baseline", PodSecurityLevel.Baseline,
            new VersionedCheck(0, BaselineChecks.SeccompAnnotations),
            new VersionedCheck(19, BaselineChecks.SeccompProfile)),
        new("seccompProfile_restricted", PodSecurityLevel.Restricted,
            new VersionedCheck(19, RestrictedChecks.SeccompProfile, "seccompProfile_baseline"),
            new VersionedCheck(25, RestrictedChecks.ExceptWindows(RestrictedChecks.SeccompProfile), "seccompProfile_baseline")),
        new("sysctls", PodSecurityLevel.Baseline,
            new VersionedCheck(0, BaselineChecks.SysctlsSince1_0),
            new VersionedCheck(27, BaselineChecks.SysctlsSince1_27),
            new VersionedCheck(29, BaselineChecks.SysctlsSince1_29),
            new VersionedCheck(32, BaselineChecks.SysctlsSince1_32)),
        new("windowsHostProcess", PodSecurityLevel.Baseline, new VersionedCheck(0, BaselineChecks.WindowsHostProcess)),
    ];

    /// <summary>The failed checks of a pod at a level and version, in the order the message lists them.</summary>
    public static IReadOnlyList<CheckResult> Evaluate(LevelVersion policy, V1ObjectMeta meta, V1PodSpec spec)
    {
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return [];
        }

        var minor = Math.Min(policy.Minor ?? LatestMinor, LatestMinor);
        var inForce = All
            .Select(check => (check.Id, check.Level, Revision: check.Versions.LastOrDefault(v => v.MinimumMinor <= minor)))
            .Where(c => c.Revision is not null && (c.Level == PodSecurityLevel.Baseline || policy.Level == PodSecurityLevel.Restricted))
            .ToList();
        var overridden = inForce.SelectMany(c => c.Revision!.Overrides).ToHashSet(StringComparer.Ordinal);
        return inForce
            .Where(c => c.Level == PodSecurityLevel.Restricted || !overridden.Contains(c.Id))
            .OrderBy(c => c.Level)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Revision!.Check(meta, spec))
            .OfType<CheckResult>()
            .ToList();
    }

    /// <summary>The violations as the admission message lists them: <c>reason (detail), reason (detail)</c>.</summary>
    public static string Describe(IEnumerable<CheckResult> failures) =>
        string.Join(", ", failures.Select(f => f.Detail.Length == 0 ? f.Reason : $"{f.Reason} ({f.Detail})"));
}
