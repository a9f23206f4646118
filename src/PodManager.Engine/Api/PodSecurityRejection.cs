using System.Text;

namespace PodManager.Engine.Api;

/// <summary>
/// A pod refused by the PodSecurity admission plugin (a 403 whose message reads <c>violates PodSecurity "level:version":
/// check (detail), check (detail)</c>, as pod-security-admission's <c>errorMessage</c> writes it), told back as the
/// checks that failed and, for each, what in the pod to change. The check names are those of the Pod Security
/// Standards (k8s.io/pod-security-admission/policy).
/// </summary>
internal static class PodSecurityRejection
{
    private const string Marker = "violates PodSecurity \"";

    /// <summary>The parameter that makes a pod built from parameters meet the restricted standard.</summary>
    private const string RestrictedParameter = "-SecurityContext Restricted";

    private static readonly Dictionary<string, string> Fixes = new(StringComparer.Ordinal)
    {
        ["allowPrivilegeEscalation != false"] = $"{RestrictedParameter}, or in -Manifest securityContext.allowPrivilegeEscalation: false on every container",
        ["unrestricted capabilities"] = $"{RestrictedParameter}, or in -Manifest securityContext.capabilities.drop: [ALL] on every container (add back only NET_BIND_SERVICE)",
        ["runAsNonRoot != true"] = $"{RestrictedParameter}, or in -Manifest spec.securityContext.runAsNonRoot: true with a non-zero runAsUser",
        ["runAsUser=0"] = $"{RestrictedParameter}, or in -Manifest a non-zero securityContext.runAsUser",
        ["seccompProfile"] = $"{RestrictedParameter}, or in -Manifest spec.securityContext.seccompProfile.type: RuntimeDefault",
        ["restricted volume types"] = "in -Manifest, only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes",
        ["privileged"] = "in -Manifest, remove securityContext.privileged: true",
        ["host namespaces"] = "in -Manifest, remove hostNetwork, hostPID and hostIPC",
        ["hostPath volumes"] = "in -Manifest, replace the hostPath volumes (an emptyDir or a persistentVolumeClaim)",
        ["hostPort"] = "in -Manifest, remove the containers' hostPort",
        ["non-default capabilities"] = "in -Manifest, remove securityContext.capabilities.add beyond the default set",
        ["procMount"] = "in -Manifest, remove securityContext.procMount (or set Default)",
        ["seLinuxOptions"] = "in -Manifest, remove securityContext.seLinuxOptions user and role, and any type outside container_t, container_init_t, container_kvm_t, container_engine_t",
        ["forbidden AppArmor profile"] = "in -Manifest, set the AppArmor profile to RuntimeDefault or Localhost",
        ["forbidden AppArmor profiles"] = "in -Manifest, set the AppArmor profile to RuntimeDefault or Localhost",
        ["forbidden sysctls"] = "in -Manifest, keep only the safe sysctls in spec.securityContext.sysctls",
        ["hostProcess"] = "in -Manifest, remove windowsOptions.hostProcess",
    };

    /// <summary>The error for <paramref name="serverMessage"/> when it is a Pod Security refusal; otherwise null.</summary>
    public static PodManagerException? From(string serverMessage, string action, Exception inner)
    {
        var start = serverMessage.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var policyEnd = serverMessage.IndexOf('"', start + Marker.Length);
        var colon = policyEnd < 0 ? -1 : serverMessage.IndexOf(':', policyEnd);
        if (colon < 0)
        {
            return null;
        }

        var policy = serverMessage[(start + Marker.Length)..policyEnd];
        var text = new StringBuilder()
            .Append(char.ToUpperInvariant(action[0])).Append(action[1..])
            .Append($" failed: the namespace enforces Pod Security \"{policy}\" and the pod violates it [403 Forbidden]. Fix each check:");
        foreach (var (check, detail) in Checks(serverMessage[(colon + 1)..]))
        {
            text.Append($"{Environment.NewLine}- {check}{(detail.Length > 0 ? $" ({detail})" : "")}: {Fix(check)}.");
        }

        return new PodManagerException(ErrorIds.PodSecurityViolation, SecretRedactor.Redact(text.ToString()), inner) { StatusCode = 403 };
    }

    private static string Fix(string check) =>
        Fixes.TryGetValue(check, out var fix) ? fix : "change the pod as the check says (kubernetes.io/docs/concepts/security/pod-security-standards)";

    /// <summary>The checks of <c>a (x), b (y (z)), c</c>: split on the commas outside parentheses.</summary>
    private static IEnumerable<(string Check, string Detail)> Checks(string list)
    {
        var depth = 0;
        var begin = 0;
        for (var i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || (list[i] == ',' && depth == 0))
            {
                var part = list[begin..i].Trim();
                begin = i + 1;
                if (part.Length == 0)
                {
                    continue;
                }

                var open = part.IndexOf(" (", StringComparison.Ordinal);
                yield return open > 0 && part.EndsWith(')')
                    ? (part[..open], part[(open + 2)..^1])
                    : (part, "");
                continue;
            }

            depth += list[i] switch { '(' => 1, ')' => -1, _ => 0 };
        }
    }
}
