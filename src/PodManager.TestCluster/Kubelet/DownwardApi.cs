using System.Globalization;
using System.Text;
using k8s.Models;

namespace PodManager.TestCluster.Kubelet;

/// <summary>The downward API (pkg/fieldpath and the kubelet's podFieldSelectorRuntimeValue): pod fields and container
/// resources for <c>env</c> and for <c>downwardAPI</c> volume files.</summary>
internal static class DownwardApi
{
    /// <summary>The value of a <c>fieldRef</c>, or null when the path is not supported.</summary>
    public static string? FieldValue(V1Pod pod, string path, string hostIp, string? podIp)
    {
        if (TryKey(path, "metadata.labels") is { } label)
        {
            return pod.Metadata.Labels.ValueOrDefault(label) ?? string.Empty;
        }

        if (TryKey(path, "metadata.annotations") is { } annotation)
        {
            return pod.Metadata.Annotations.ValueOrDefault(annotation) ?? string.Empty;
        }

        return path switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty,
            "metadata.uid" => pod.Metadata.Uid,
            "metadata.labels" => FormatMap(pod.Metadata.Labels),
            "metadata.annotations" => FormatMap(pod.Metadata.Annotations),
            "spec.nodeName" => pod.Spec.NodeName,
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName,
            "status.hostIP" or "status.hostIPs" => hostIp,
            "status.podIP" or "status.podIPs" => podIp ?? string.Empty,
            _ => null,
        };
    }

    /// <summary>The value of a <c>resourceFieldRef</c>: the container's request or limit (a missing limit is the node's
    /// allocatable), divided by the divisor and rounded up.</summary>
    public static string ResourceValue(V1Container container, V1ResourceFieldSelector selector, NodeIdentity node)
    {
        var parts = selector.Resource.Split('.', 2);
        var resources = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        var quantity = resources.ValueOrDefault(parts[^1])?.ToDecimal()
            ?? (parts[0] == "limits" ? node.Allocatable(parts[^1]) : 0m);
        var divisor = selector.Divisor?.ToDecimal() is { } d and > 0 ? d : 1m;
        return Math.Ceiling(quantity / divisor).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>key="value"</c> lines in key order, as fieldpath.FormatMap writes labels and annotations.</summary>
    private static string FormatMap(IDictionary<string, string>? map)
    {
        var lines = (map ?? new Dictionary<string, string>())
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={Quote(p.Value)}");
        return string.Join('\n', lines);
    }

    /// <summary>Go's %q for the characters label and annotation values contain.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string? TryKey(string path, string prefix) =>
        path.StartsWith(prefix + "['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal)
            ? path[(prefix.Length + 2)..^2]
            : null;
}
