using k8s.Models;
using PodManager.Engine.XCom;

namespace PodManager.Engine.Pods;

/// <summary>
/// -InitContainer and -Sidecar: containers from hashtables of a Kubernetes Container's fields. Init containers run
/// one after another before the base container; sidecars are Kubernetes' native sidecars (init containers with
/// <c>restartPolicy: Always</c>), which start after the init containers, run beside the base container and are
/// stopped when it has finished, so they never keep a task pod running.
/// </summary>
internal static class ExtraContainers
{
    private const string Fields = "name, image (the base container's by default), command, args, env, volumeMounts, resources, workingDir, securityContext";

    /// <summary>The init containers, then the sidecars; one without an image is given the base container's by <see cref="PodFactory.Build"/>.</summary>
    public static List<V1Container> Read(IReadOnlyList<string>? initContainers, IReadOnlyList<string>? sidecars)
    {
        var containers = new List<V1Container>();
        containers.AddRange(Read(initContainers, "-InitContainer", sidecar: false));
        containers.AddRange(Read(sidecars, "-Sidecar", sidecar: true));
        var names = new HashSet<string>(StringComparer.Ordinal) { PodDefaults.BaseContainerName, XComDefaults.SidecarName };
        foreach (var container in containers.Where(c => !names.Add(c.Name)))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"More than one container is named '{container.Name}' (-InitContainer and -Sidecar share the pod's container names with '{PodDefaults.BaseContainerName}' and '{XComDefaults.SidecarName}'). Give each container a name of its own.");
        }

        return containers;
    }

    private static IEnumerable<V1Container> Read(IReadOnlyList<string>? values, string parameter, bool sidecar)
    {
        var number = 0;
        foreach (var json in values ?? [])
        {
            number++;
            var what = values!.Count == 1 ? parameter : $"{parameter} entry {number}";
            var container = ParameterObjects.Read<V1Container>(json, what, "a container", Fields);
            if (!KubernetesNames.IsLabel(container.Name))
            {
                throw Invalid(string.IsNullOrEmpty(container.Name)
                    ? $"{what} has no name; give it one, e.g. @{{ name = '{(sidecar ? "proxy" : "fetch")}'; command = ... }}."
                    : $"{what}: the container name '{container.Name}' is not {KubernetesNames.LabelRule}.");
            }

            if (!sidecar && container.RestartPolicy is not null)
            {
                throw Invalid($"{what} '{container.Name}' has a restartPolicy: an init container runs once to completion. For a container that runs beside the base container, use -Sidecar.");
            }

            if (sidecar && container.RestartPolicy is not (null or "Always"))
            {
                throw Invalid($"{what} '{container.Name}' has restartPolicy '{container.RestartPolicy}': a sidecar is restarted whenever it stops (Always); leave restartPolicy out.");
            }

            if (sidecar)
            {
                container.RestartPolicy = "Always";
            }

            yield return container;
        }
    }

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
