using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PodManager.Engine.Pods;
using PodManager.Engine.XCom;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<KPodManifest> GetManifestAsync(PodDescription pod, string? runKey, bool xcom, XComSidecarSettings? sidecar, bool validate, CancellationToken cancellationToken)
    {
        var described = xcom ? pod.WithXComSidecar(sidecar, Options.XComSidecarImage).Pod : KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod.Pod));
        described.Metadata.NamespaceProperty = ResolveNamespace(described.Metadata.NamespaceProperty);
        if (string.IsNullOrEmpty(described.Metadata.Name) && !string.IsNullOrEmpty(described.Metadata.GenerateName))
        {
            // As CreatePodAsync names it, so that creating this manifest makes this very pod.
            described.Metadata.Name = PodFactory.FromGenerateName(described.Metadata.GenerateName);
            described.Metadata.GenerateName = null;
        }

        if (runKey is not null)
        {
            RunKey.Stamp(described, runKey);
        }

        var result = validate ? await DryRunCreatePodAsync(described, cancellationToken).ConfigureAwait(false) : described;
        var yaml = KubernetesYaml.Serialize(result);
        return new KPodManifest
        {
            Name = result.Metadata.Name,
            Namespace = result.Metadata.NamespaceProperty,
            Manifest = yaml,
            Yaml = yaml,
            Json = JsonNode.Parse(KubernetesJson.Serialize(result))!.ToJsonString(Indented),
            Validated = validate,
        };
    }
}
