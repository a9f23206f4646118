using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>The pod spec checks of pkg/apis/core/validation that a client is likely to trip over.</summary>
internal static class PodValidator
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] MessagePolicies = ["File", "FallbackToLogsOnError"];

    public static IEnumerable<FieldError> Validate(V1Pod pod)
    {
        var spec = pod.Spec;
        if (spec is null)
        {
            yield return FieldError.Required("spec.containers");
            yield break;
        }

        if (spec.Containers is null or { Count: 0 })
        {
            yield return FieldError.Required("spec.containers");
        }

        if (spec.RestartPolicy is { } restartPolicy && !RestartPolicies.Contains(restartPolicy))
        {
            yield return FieldError.NotSupported("spec.restartPolicy", restartPolicy, RestartPolicies);
        }

        if (spec.TerminationGracePeriodSeconds is < 0)
        {
            yield return FieldError.Invalid("spec.terminationGracePeriodSeconds", spec.TerminationGracePeriodSeconds.Value, "must be greater than or equal to 0");
        }

        if (spec.ActiveDeadlineSeconds is <= 0)
        {
            yield return FieldError.Invalid("spec.activeDeadlineSeconds", spec.ActiveDeadlineSeconds.Value, "must be between 1 and 2147483647, inclusive");
        }

        var volumes = new HashSet<string>();
        foreach (var (volume, i) in (spec.Volumes ?? []).Select((v, i) => (v, i)))
        {
            var field = $"spec.volumes[{i}].name";
            foreach (var error in Name(field, volume.Name, NameRules.Dns1123Label))
            {
                yield return error;
            }

            if (!string.IsNullOrEmpty(volume.Name) && !volumes.Add(volume.Name))
            {
                yield return FieldError.Duplicate(field, volume.Name);
            }

            foreach (var error in VolumeValidator.Validate(volume, $"spec.volumes[{i}]"))
            {
                yield return error;
            }
        }

        foreach (var error in SchedulingValidator.Validate(spec))
        {
            yield return error;
        }

        var names = new HashSet<string>();
        foreach (var error in Containers(spec.InitContainers, "spec.initContainers", names, volumes, isInit: true)
            .Concat(Containers(spec.Containers, "spec.containers", names, volumes, isInit: false)))
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> Containers(IList<V1Container>? containers, string path, HashSet<string> names, HashSet<string> volumes, bool isInit)
    {
        foreach (var (container, i) in (containers ?? []).Select((c, i) => (c, i)))
        {
            var at = $"{path}[{i}]";
            foreach (var error in Name($"{at}.name", container.Name, NameRules.Dns1123Label))
            {
                yield return error;
            }

            if (!string.IsNullOrEmpty(container.Name) && !names.Add(container.Name))
            {
                yield return FieldError.Duplicate($"{at}.name", container.Name);
            }

            if (string.IsNullOrWhiteSpace(container.Image))
            {
                yield return FieldError.Required($"{at}.image");
            }

            if (container.ImagePullPolicy is { } pull && !PullPolicies.Contains(pull))
            {
                yield return FieldError.NotSupported($"{at}.imagePullPolicy", pull, PullPolicies);
            }

            if (container.TerminationMessagePolicy is { } messagePolicy && !MessagePolicies.Contains(messagePolicy))
            {
                yield return FieldError.NotSupported($"{at}.terminationMessagePolicy", messagePolicy, MessagePolicies);
            }

            if (container.RestartPolicy is { } restart && (!isInit || restart != "Always"))
            {
                yield return isInit
                    ? FieldError.NotSupported($"{at}.restartPolicy", restart, ["Always"])
                    : FieldError.Forbidden($"{at}.restartPolicy", "may not be set for non-init containers");
            }

            foreach (var (variable, j) in (container.Env ?? []).Select((e, j) => (e, j)))
            {
                foreach (var message in string.IsNullOrEmpty(variable.Name) ? [] : NameRules.EnvVarName(variable.Name))
                {
                    yield return FieldError.Invalid($"{at}.env[{j}].name", variable.Name, message);
                }

                if (string.IsNullOrEmpty(variable.Name))
                {
                    yield return FieldError.Required($"{at}.env[{j}].name");
                }
            }

            var mountPaths = new HashSet<string>();
            foreach (var (mount, j) in (container.VolumeMounts ?? []).Select((m, j) => (m, j)))
            {
                if (string.IsNullOrEmpty(mount.Name))
                {
                    yield return FieldError.Required($"{at}.volumeMounts[{j}].name");
                }
                else if (!volumes.Contains(mount.Name))
                {
                    yield return FieldError.NotFound($"{at}.volumeMounts[{j}].name", mount.Name);
                }

                if (string.IsNullOrEmpty(mount.MountPath))
                {
                    yield return FieldError.Required($"{at}.volumeMounts[{j}].mountPath");
                }
                else if (!mountPaths.Add(mount.MountPath))
                {
                    yield return FieldError.Invalid($"{at}.volumeMounts[{j}].mountPath", mount.MountPath, "must be unique");
                }

                foreach (var error in string.IsNullOrEmpty(mount.SubPath) ? [] : VolumeValidator.LocalDescendingPath($"{at}.volumeMounts[{j}].subPath", mount.SubPath))
                {
                    yield return error;
                }
            }

            foreach (var error in ResourceValidator.Validate(container.Resources, $"{at}.resources"))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<FieldError> Name(string field, string? value, Func<string, IReadOnlyList<string>> rule) =>
        string.IsNullOrEmpty(value)
            ? [FieldError.Required(field)]
            : rule(value).Select(message => FieldError.Invalid(field, value, message));
}
