using System.Text;
using System.Text.Json;
using k8s.Models;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// The registry credentials of a pod, read afresh for each pull as the kubelet does (getPullSecretsForPod): the
/// Secrets its <c>imagePullSecrets</c> name, of type <c>kubernetes.io/dockerconfigjson</c> (<c>auths</c> entries
/// with <c>username</c>/<c>password</c> or <c>auth</c>) or the older <c>kubernetes.io/dockercfg</c>. A named
/// Secret that is missing gets the kubelet's <c>FailedToRetrieveImagePullSecret</c> warning, and the pull goes on
/// without it.
/// </summary>
internal static class PullSecrets
{
    public static IReadOnlyList<RegistryCredential> Resolve(PodWorker pod)
    {
        var credentials = new List<RegistryCredential>();
        var missing = new List<string>();
        foreach (var reference in pod.Pod.Spec.ImagePullSecrets ?? [])
        {
            if (string.IsNullOrEmpty(reference.Name))
            {
                continue;
            }

            var secret = pod.Kubelet.Cluster.Secrets.Get(new ObjectKey(pod.Key.Namespace, reference.Name))?.Value;
            if (secret is null)
            {
                missing.Add(reference.Name);
                continue;
            }

            credentials.AddRange(Read(secret));
        }

        if (missing.Count > 0)
        {
            pod.Event(null, EventRecorder.Warning, "FailedToRetrieveImagePullSecret", $"Unable to retrieve some image pull secrets ({string.Join(", ", missing)}); attempting to pull the image may not succeed.");
        }

        return credentials;
    }

    private static IEnumerable<RegistryCredential> Read(V1Secret secret)
    {
        var (key, nested) = secret.Type switch
        {
            "kubernetes.io/dockerconfigjson" => (".dockerconfigjson", true),
            "kubernetes.io/dockercfg" => (".dockercfg", false),
            _ => (null, false),
        };
        if (key is null || secret.Data?.TryGetValue(key, out var bytes) != true)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var entries = nested ? document.RootElement.GetProperty("auths") : document.RootElement;
            return entries.EnumerateObject().Select(entry => Credential(entry.Name, entry.Value)).ToList();
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // The kubelet skips a pull secret it cannot read.
            return [];
        }
    }

    private static RegistryCredential Credential(string key, JsonElement entry)
    {
        string? Field(string name) => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var username = Field("username");
        var password = Field("password");
        if (Field("auth") is { Length: > 0 } auth)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = pair.IndexOf(':');
            if (colon > 0)
            {
                username = pair[..colon];
                password = pair[(colon + 1)..];
            }
        }

        return new RegistryCredential(key, username, password);
    }
}
