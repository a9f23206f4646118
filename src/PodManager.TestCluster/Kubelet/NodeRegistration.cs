using System.Globalization;
using k8s.Models;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// What the node registers with besides its capacity: labels (the kubelet's <c>--node-labels</c>), taints
/// (<c>--register-with-taints</c>) and extended resources (what a device plugin advertises). Each is checked with the
/// API server's rules; a bad one is an <see cref="ArgumentException"/> that names it.
/// </summary>
internal static class NodeRegistration
{
    public static readonly IReadOnlyList<string> TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void CheckLabel(string key, string value)
    {
        var errors = NameRules.QualifiedName(key).Concat(NameRules.LabelValue(value)).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid node label {key}={value}: {string.Join("; ", errors)}");
        }
    }

    /// <summary>Parses <c>key=value:Effect</c> or <c>key:Effect</c>, as <c>kubectl taint</c> does.</summary>
    public static V1Taint ParseTaint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            throw new ArgumentException($"invalid node taint {text}: expected key=value:Effect or key:Effect");
        }

        var effect = text[(colon + 1)..];
        var keyValue = text[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? keyValue : keyValue[..equals];
        var value = equals < 0 ? string.Empty : keyValue[(equals + 1)..];
        var errors = NameRules.QualifiedName(key).Concat(NameRules.LabelValue(value)).ToList();
        if (!TaintEffects.Contains(effect))
        {
            errors.Add($"the effect must be one of {string.Join(", ", TaintEffects)}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid node taint {text}: {string.Join("; ", errors)}");
        }

        return new V1Taint { Key = key, Value = value.Length == 0 ? null : value, Effect = effect };
    }

    /// <summary>Checks an extended resource (IsExtendedResourceName, a whole non-negative number) and returns its count.</summary>
    public static decimal CheckExtendedResource(string name, string quantity)
    {
        if (!ResourceNames.IsExtended(name))
        {
            throw new ArgumentException($"invalid extended resource {name}: it must be a fully qualified name outside kubernetes.io, e.g. example.com/device");
        }

        decimal count;
        try
        {
            count = new ResourceQuantity(quantity).ToDecimal();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"invalid extended resource {name}={quantity}: not a quantity");
        }

        if (count < 0 || count != decimal.Truncate(count))
        {
            throw new ArgumentException($"invalid extended resource {name}={quantity}: must be a whole number");
        }

        return count;
    }

    /// <summary>The options' labels, taints and extended resources, checked.</summary>
    public static (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<V1Taint> Taints, IReadOnlyDictionary<string, decimal> ExtendedResources) From(TestClusterOptions options)
    {
        foreach (var (key, value) in options.NodeLabels)
        {
            CheckLabel(key, value);
        }

        var taints = options.NodeTaints.Select(ParseTaint).ToList();
        var extended = options.NodeExtendedResources.ToDictionary(p => p.Key, p => CheckExtendedResource(p.Key, p.Value), StringComparer.Ordinal);
        return (options.NodeLabels, taints, extended);
    }

    public static string Format(decimal count) => count.ToString(CultureInfo.InvariantCulture);
}
