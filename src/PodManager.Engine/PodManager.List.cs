using k8s;
using k8s.Models;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>The pods of a namespace (or of all, when <paramref name="ns"/> is null) that match the selectors, by namespace and name.</summary>
    public async Task<IReadOnlyList<KPod>> ListPodsAsync(string? ns, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken) =>
        (await ListV1PodsAsync(ns, labelSelector, fieldSelector, cancellationToken).ConfigureAwait(false)).Select(ToKPod).ToList();

    private async Task<IReadOnlyList<V1Pod>> ListV1PodsAsync(string? ns, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken)
    {
        var pods = new List<V1Pod>();
        string? continueToken = null;
        try
        {
            do
            {
                var page = ns is null
                    ? await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: continueToken, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: continueToken, labelSelector: labelSelector, fieldSelector: fieldSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
                pods.AddRange(page.Items);
                continueToken = page.Metadata?.ContinueProperty;
            }
            while (!string.IsNullOrEmpty(continueToken));
        }
        catch (Exception e)
        {
            var selectors = string.Concat(
                labelSelector is null ? "" : $" with label selector '{labelSelector}'",
                fieldSelector is null ? "" : $" with field selector '{fieldSelector}'");
            throw Translate(e, (ns is null ? "listing pods in all namespaces" : $"listing pods in namespace '{ns}'") + selectors, ErrorIds.NamespaceNotFound);
        }

        return pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return list.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e)
        {
            throw Translate(e, "listing namespaces");
        }
    }

    /// <summary>The server's version, e.g. v1.32.0; also proves the connection and credentials work.</summary>
    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = await client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            return version.GitVersion;
        }
        catch (Exception e)
        {
            throw Translate(e, "reading the server version");
        }
    }
}
