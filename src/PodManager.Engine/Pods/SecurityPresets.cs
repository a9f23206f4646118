using System.Text.Json.Nodes;
using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>
/// -SecurityContext: the base container's security context (a Kubernetes SecurityContext, from a hashtable), or the
/// preset <see cref="Restricted"/>, which makes the whole pod satisfy the restricted Pod Security Standard.
/// </summary>
public static class SecurityPresets
{
    /// <summary>The preset's name, as -SecurityContext takes it.</summary>
    public const string Restricted = "Restricted";

    /// <summary>The user and group the preset runs as when the pod names none: nobody, which no image maps to root.</summary>
    public const long RestrictedUser = 65534;

    private const string Fields = "runAsUser, runAsGroup, runAsNonRoot, allowPrivilegeEscalation, capabilities, readOnlyRootFilesystem, privileged, seccompProfile, seLinuxOptions, procMount";

    private static readonly string[] PodOnlyFields = ["fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "sysctls", "seLinuxChangePolicy"];

    /// <summary>Whether a -SecurityContext value is the preset (in any case).</summary>
    public static bool IsRestricted(string? value) => string.Equals(value, Restricted, StringComparison.OrdinalIgnoreCase);

    internal static V1SecurityContext Read(string json)
    {
        var keys = JsonNode.Parse(json) is JsonObject fields ? fields.Select(f => f.Key).ToList() : [];
        var podOnly = PodOnlyFields.FirstOrDefault(f => keys.Contains(f, StringComparer.OrdinalIgnoreCase));
        if (podOnly is not null)
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-SecurityContext sets the base container's security context, and {podOnly} is a setting of the whole pod (spec.securityContext). Put it in a template: -Template @{{ spec = @{{ securityContext = @{{ {podOnly} = ... }}; containers = @(@{{ name = 'base' }}) }} }}.");
        }

        return ParameterObjects.Read<V1SecurityContext>(json, "-SecurityContext", "a container security context", Fields);
    }

    /// <summary>
    /// The restricted Pod Security Standard, for every container of the pod (init containers, sidecars and the XCom
    /// sidecar too): the pod runs as non-root (as <see cref="RestrictedUser"/> unless it names a user) with the
    /// runtime's default seccomp profile; each container drops every capability and cannot escalate privileges.
    /// </summary>
    internal static void ApplyRestricted(V1Pod pod)
    {
        var spec = pod.Spec;
        spec.SecurityContext ??= new V1PodSecurityContext();
        var context = spec.SecurityContext;
        context.RunAsNonRoot = true;
        if (context.SeccompProfile?.Type is not ("RuntimeDefault" or "Localhost"))
        {
            context.SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" };
        }

        if (context.RunAsUser is null or 0)
        {
            context.RunAsUser = RestrictedUser;
            context.RunAsGroup ??= RestrictedUser;
        }

        foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
        {
            container.SecurityContext ??= new V1SecurityContext();
            container.SecurityContext.AllowPrivilegeEscalation = false;
            container.SecurityContext.Capabilities ??= new V1Capabilities();
            container.SecurityContext.Capabilities.Drop = ["ALL"];
        }
    }
}
