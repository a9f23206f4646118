using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PodManager.Engine.Pods;

/// <summary>
/// Reads a pod from YAML or JSON text, or from a file holding either. As strict as <c>kubectl create
/// --validate=strict</c>: an unknown or misspelt field, or a value of the wrong shape, is an error naming its
/// field path, never dropped; and one manifest is one pod.
/// </summary>
public static class PodManifest
{
    /// <param name="role">What the pod is to the user, for the messages: "manifest" (-Manifest) or "template" (-Template).</param>
    public static V1Pod Parse(string textOrPath, string role = "manifest")
    {
        var text = textOrPath;
        var source = $"the {role} text";
        if (!textOrPath.Contains('\n', StringComparison.Ordinal) && File.Exists(textOrPath))
        {
            text = File.ReadAllText(textOrPath);
            source = role == "manifest" ? $"'{Path.GetFullPath(textOrPath)}'" : $"the {role} '{Path.GetFullPath(textOrPath)}'";
        }

        if (text.Any(c => c == '\uFFFD' || (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))))
        {
            throw Invalid($"{source} holds binary data, not YAML or JSON text. Give a pod manifest (kind: Pod) as YAML or JSON.");
        }

        var (document, alone) = ReadDocument(text, source);
        var root = document.RootNode;
        if (root is not YamlMappingNode fields)
        {
            throw Invalid($"{source} is {ManifestSchema.Describe(root)}, not a pod manifest. Give YAML or JSON with the fields apiVersion: v1, kind: Pod, metadata and spec.containers.");
        }

        if (fields.Children.TryGetValue(new YamlScalarNode("kind"), out var kindNode) && kindNode is YamlScalarNode { Value: { Length: > 0 } kind } && kind != "Pod")
        {
            throw Invalid($"{source} describes a '{kind}', not a Pod. Give a manifest with 'kind: Pod'.");
        }

        var problems = ManifestSchema.Check(root, typeof(V1Pod), withPositions: text.Contains('\n', StringComparison.Ordinal));
        if (problems.Count > 0)
        {
            throw Invalid($"{source} is not a valid pod {role}: {string.Join("; ", problems)}. Fix the field names and values "
                + "(kubectl explain pod.spec lists them); Kubernetes rejects unknown fields too (kubectl create --validate=strict).");
        }

        V1Pod? pod;
        try
        {
            pod = KubernetesYaml.Deserialize<V1Pod>(Text(document, text, alone));
        }
        catch (YamlException e)
        {
            throw Invalid($"{source} has a value that does not fit its field (line {e.Start.Line}, column {e.Start.Column}). Check that field's type (kubectl explain pod.spec).");
        }

        if (pod.Spec?.Containers is not { Count: > 0 })
        {
            throw Invalid($"{source} has no spec.containers. A pod needs at least one container with a name and an image.");
        }

        // A template's pod is named once the overrides are merged, after the image it then runs (PodFactory.Build).
        pod.Metadata ??= new V1ObjectMeta();
        if (role != "template" && string.IsNullOrEmpty(pod.Metadata.Name) && string.IsNullOrEmpty(pod.Metadata.GenerateName))
        {
            pod.Metadata.Name = PodFactory.GenerateName(pod.Spec.Containers[0].Image ?? "pod");
        }

        // A task pod runs once, as the operator's: Kubernetes would default to Always and restart a finished task.
        pod.Spec.RestartPolicy ??= "Never";
        pod.ApiVersion ??= "v1";
        pod.Kind ??= "Pod";
        return pod;
    }

    /// <summary>The one document of the text; empty documents (a trailing ---) do not count, as with kubectl.</summary>
    private static (YamlDocument Document, bool Alone) ReadDocument(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Invalid($"{source} is not valid YAML or JSON (line {e.Start.Line}, column {e.Start.Column}): {e.InnerException?.Message ?? e.Message} Fix the text at that line (YAML indents with spaces, JSON needs its commas and closing brackets).");
        }

        var documents = stream.Documents.Where(d => !ManifestSchema.IsNull(d.RootNode)).ToList();
        return documents.Count switch
        {
            0 => throw Invalid($"{source} is empty. Give a pod manifest: apiVersion: v1, kind: Pod, metadata and spec.containers."),
            1 => (documents[0], stream.Documents.Count == 1),
            _ => throw Invalid($"{source} holds {documents.Count} YAML documents; a manifest here is one pod. Give each pod its own manifest (one New-KPod or Invoke-KPod -Manifest per document)."),
        };
    }

    /// <summary>The document's text: the original when the stream holds nothing else, else the document written out alone.</summary>
    private static string Text(YamlDocument document, string original, bool alone)
    {
        if (alone)
        {
            return original;
        }

        using var writer = new StringWriter();
        new YamlStream(document).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static PodManagerException Invalid(string message) =>
        new(ErrorIds.InvalidManifest, message);
}
