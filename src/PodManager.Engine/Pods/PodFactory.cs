using System.Security.Cryptography;
using System.Text.RegularExpressions;
using k8s.Models;

namespace PodManager.Engine.Pods;

/// <summary>Builds the <see cref="V1Pod"/> a <see cref="PodBuildOptions"/> describes.</summary>
public static partial class PodFactory
{
    private const string NameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The longest DNS label (RFC 1123), and so the longest name <see cref="NormalizeName"/> gives.</summary>
    public const int MaxNameLength = 63;

    public static V1Pod Build(PodBuildOptions options, string ns)
    {
        var labels = new Dictionary<string, string>(options.Labels ?? new Dictionary<string, string>())
        {
            [PodDefaults.ManagedByLabel] = PodDefaults.ManagedByValue,
        };
        var container = new V1Container
        {
            Name = PodDefaults.BaseContainerName,
            Image = options.Image,
            Command = options.Command?.ToList(),
            Args = options.Arguments?.ToList(),
            Env = options.Environment?.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList(),
            ImagePullPolicy = options.ImagePullPolicy,
            Resources = Resources(options),
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = options.Name ?? GenerateName(options.Image),
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = options.Annotations?.ToDictionary(a => a.Key, a => a.Value),
            },
            Spec = new V1PodSpec
            {
                Containers = [container],
                RestartPolicy = options.RestartPolicy,
                NodeSelector = options.NodeSelector?.ToDictionary(a => a.Key, a => a.Value),
                ServiceAccountName = options.ServiceAccount,
            },
        };
    }

    /// <summary>A DNS-1123 name from the image's repository name plus 8 random characters, like the operator's create_unique_id.</summary>
    public static string GenerateName(string image)
    {
        var repository = image.Split('@')[0];
        var lastSegment = repository[(repository.LastIndexOf('/') + 1)..];
        var colon = lastSegment.IndexOf(':');
        var stem = NonNameCharacters().Replace((colon >= 0 ? lastSegment[..colon] : lastSegment).ToLowerInvariant(), "-").Trim('-', '.');
        if (stem.Length == 0)
        {
            stem = "pod";
        }

        stem = stem.Length > 54 ? stem[..54].TrimEnd('-', '.') : stem;
        return stem + "-" + RandomNumberGenerator.GetString(NameAlphabet, 8);
    }

    /// <summary>
    /// A given pod name made valid as Airflow's KubernetesPodOperator makes its <c>name</c> (<c>_set_name</c>): lower
    /// case, each run of characters outside <c>[a-z0-9-]</c> becomes <c>-</c>; then, so that it is a DNS label, at most
    /// 63 characters with no <c>-</c> at either end. A name of which nothing is left is an InvalidParameterValue.
    /// </summary>
    public static string NormalizeName(string name)
    {
        var normalized = NonLabelCharacters().Replace(name.ToLowerInvariant(), "-").Trim('-');
        normalized = (normalized.Length > MaxNameLength ? normalized[..MaxNameLength] : normalized).TrimEnd('-');
        return normalized.Length > 0
            ? normalized
            : throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"-Name '{name}' cannot be made a pod name. A pod name is a DNS label: lower-case letters, digits and '-', at most {MaxNameLength} characters, "
                + "starting and ending with a letter or digit; PodManager lower-cases a name and turns every other character into '-' (as Airflow does), "
                + "and nothing is left of this one. Give a name with letters or digits, e.g. -Name my-task.");
    }

    /// <summary>The API server's generateName rule: the base cut to 58 characters plus 5 from its consonant-and-digit alphabet.</summary>
    public static string FromGenerateName(string generateName) =>
        (generateName.Length > 58 ? generateName[..58] : generateName) + RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);

    private static V1ResourceRequirements? Resources(PodBuildOptions options)
    {
        var requests = Quantities(("cpu", "-Cpu", options.CpuRequest), ("memory", "-Memory", options.MemoryRequest));
        var limits = Quantities(("cpu", "-CpuLimit", options.CpuLimit), ("memory", "-MemoryLimit", options.MemoryLimit));
        return requests is null && limits is null ? null : new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    private static Dictionary<string, ResourceQuantity>? Quantities(params (string Resource, string Parameter, string? Value)[] entries)
    {
        var present = new Dictionary<string, ResourceQuantity>();
        foreach (var (resource, parameter, value) in entries.Where(e => !string.IsNullOrWhiteSpace(e.Value)))
        {
            present[resource] = ParseQuantity(value!, resource, parameter);
        }

        return present.Count == 0 ? null : present;
    }

    /// <summary>A resource quantity, or InvalidParameterValue naming <paramref name="parameter"/> and giving examples.</summary>
    internal static ResourceQuantity ParseQuantity(string value, string resource, string parameter)
    {
        var text = value.Trim();
        if (!Quantity().IsMatch(text))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                $"{parameter} '{text}' is not a Kubernetes quantity. Use a number with an optional suffix, e.g. {(resource == "cpu" ? "250m, 1 or 2.5" : "64Mi, 512M or 1Gi")}.");
        }

        return new ResourceQuantity(text);
    }

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex NonNameCharacters();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NonLabelCharacters();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Quantity();
}
