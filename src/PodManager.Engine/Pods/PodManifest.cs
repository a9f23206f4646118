using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace PodManager.Engine.Pods;

/// <summary>Reads a pod from YAML or JSON text, or from a file holding either.</summary>
public static class PodManifest
{
    public static V1Pod Parse(string textOrPath)
    {
        var text = textOrPath;
        var source = "the manifest text";
        if (!textOrPath.Contains('\n', StringComparison.Ordinal) && File.Exists(textOrPath))
        {
            text = File.ReadAllText(textOrPath);
            source = $"'{Path.GetFullPath(textOrPath)}'";
        }

        V1Pod? pod;
        try
        {
            pod = KubernetesYaml.Deserialize<V1Pod>(text);
        }
        catch (YamlException e)
        {
            throw Invalid($"{source} is not valid YAML or JSON (line {e.Start.Line}, column {e.Start.Column}): {e.InnerException?.Message ?? e.Message}");
        }

        if (pod is null || (pod.Kind is not null && pod.Kind != "Pod"))
        {
            throw Invalid($"{source} describes a '{pod?.Kind ?? "nothing"}', not a Pod. Give a manifest with 'kind: Pod'.");
        }

        if (pod.Spec?.Containers is not { Count: > 0 })
        {
            throw Invalid($"{source} has no spec.containers. A pod needs at least one container with a name and an image.");
        }

        if (string.IsNullOrEmpty(pod.Metadata?.Name) && string.IsNullOrEmpty(pod.Metadata?.GenerateName))
        {
            pod.Metadata ??= new V1ObjectMeta();
            pod.Metadata.Name = PodFactory.GenerateName(pod.Spec.Containers[0].Image ?? "pod");
        }

        // A task pod runs once, as the operator's: Kubernetes would default to Always and restart a finished task.
        pod.Spec.RestartPolicy ??= "Never";
        pod.ApiVersion ??= "v1";
        pod.Kind ??= "Pod";
        return pod;
    }

    private static PodManagerException Invalid(string message) =>
        new("InvalidManifest", PodManagerErrorCategory.InvalidData, message);
}
