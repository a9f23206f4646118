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

    /// <summary>
    /// The pod <paramref name="options"/> describe: one <c>base</c> container, restart policy Never and a name made on
    /// the client, unless a template (<see cref="PodBuildOptions.Template"/>) provides them; every value is checked
    /// first, and a bad one is an InvalidParameterValue naming its parameter and the rule.
    /// </summary>
    public static V1Pod Build(PodBuildOptions options, string ns)
    {
        var template = options.Template is null ? null : PodManifest.Parse(options.Template, "template");
        if (template is null && string.IsNullOrWhiteSpace(options.Image))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue, "A pod needs an image: give -Image, or a -Template whose base container has one.");
        }

        var pod = Overrides(options, string.IsNullOrEmpty(ns) ? null : ns, generateName: template is null);
        if (template is not null)
        {
            pod = PodReconciler.Reconcile(template, pod);
        }

        var baseImage = pod.Spec.Containers.FirstOrDefault(c => c.Name == ContainerHelpers.BaseContainerName(pod))?.Image;
        if (string.IsNullOrEmpty(pod.Metadata.Name) && string.IsNullOrEmpty(pod.Metadata.GenerateName))
        {
            pod.Metadata.Name = GenerateName(baseImage ?? "pod");
        }

        foreach (var container in pod.Spec.InitContainers ?? [])
        {
            container.Image ??= baseImage;
        }

        if (SecurityPresets.IsRestricted(options.SecurityContext))
        {
            SecurityPresets.ApplyRestricted(pod);
        }

        return pod;
    }

    /// <summary>Only what the options set, so that over a template nothing else is replaced.</summary>
    private static V1Pod Overrides(PodBuildOptions options, string? ns, bool generateName)
    {
        var labels = new Dictionary<string, string>(options.Labels ?? new Dictionary<string, string>())
        {
            [PodDefaults.ManagedByLabel] = PodDefaults.ManagedByValue,
        };
        foreach (var variable in options.Environment?.Keys ?? [])
        {
            EnvironmentReferences.CheckVariable(variable, "-Env");
        }

        var env = (options.Environment ?? new Dictionary<string, string>()).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value })
            .Concat(EnvironmentReferences.FromKeys(options.SecretEnvironment, "-SecretEnv", secret: true))
            .Concat(EnvironmentReferences.FromKeys(options.ConfigMapEnvironment, "-ConfigMapEnv", secret: false))
            .ToList();
        var envFrom = EnvironmentReferences.FromObjects(options.EnvironmentFrom).ToList();
        var volumes = options.Volumes ?? [];
        foreach (var volume in volumes)
        {
            PodVolumes.Check(volume, $"-Volume '{volume.Name}'");
        }

        Unique(volumes.Select(v => v.Name), "-Volume has more than one volume named '{0}'; give each volume a name of its own.");
        Unique(volumes.Select(v => v.MountPath), "-Volume mounts more than one volume at '{0}'; give each its own MountPath.");

        var restricted = SecurityPresets.IsRestricted(options.SecurityContext);
        var container = new V1Container
        {
            Name = PodDefaults.BaseContainerName,
            Image = options.Image,
            Command = options.Command?.ToList(),
            Args = options.Arguments?.ToList(),
            Env = env.Count == 0 ? null : env,
            EnvFrom = envFrom.Count == 0 ? null : envFrom,
            ImagePullPolicy = options.ImagePullPolicy,
            Resources = Resources(options),
            VolumeMounts = volumes.Count == 0 ? null : volumes.Select(PodVolumes.Mount).ToList(),
            WorkingDir = WorkingDirectory(options.WorkingDirectory),
            SecurityContext = options.SecurityContext is null || restricted ? null : SecurityPresets.Read(options.SecurityContext),
        };
        var tolerations = Tolerations.Read(options.Tolerations).ToList();
        var initContainers = ExtraContainers.Read(options.InitContainers, options.Sidecars);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = options.Name ?? (generateName ? GenerateName(options.Image!) : null),
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = options.Annotations?.ToDictionary(a => a.Key, a => a.Value),
            },
            Spec = new V1PodSpec
            {
                Containers = [container],
                InitContainers = initContainers.Count == 0 ? null : initContainers,
                RestartPolicy = options.RestartPolicy ?? (generateName ? "Never" : null),
                NodeSelector = options.NodeSelector?.ToDictionary(a => a.Key, a => a.Value),
                ServiceAccountName = options.ServiceAccount,
                Tolerations = tolerations.Count == 0 ? null : tolerations,
                Affinity = Affinities.Read(options.Affinity),
                Volumes = volumes.Count == 0 ? null : volumes.Select(PodVolumes.Volume).ToList(),
                ImagePullSecrets = ImagePullSecrets(options.ImagePullSecrets),
                PriorityClassName = Checked(options.PriorityClass, "-PriorityClass", "a PriorityClass name"),
                ActiveDeadlineSeconds = ActiveDeadlineSeconds(options.ActiveDeadline),
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
        foreach (var (resource, value) in options.Resources ?? new Dictionary<string, string>())
        {
            var quantity = ExtendedQuantity(resource, value);
            (requests ??= [])[resource] = quantity;
            (limits ??= [])[resource] = quantity;
        }

        return requests is null && limits is null ? null : new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    /// <summary>A -Resource entry: a resource other than cpu and memory, by the API server's rules for container resources.</summary>
    private static ResourceQuantity ExtendedQuantity(string resource, string value)
    {
        if (resource is "cpu" or "memory")
        {
            throw Invalid($"-Resource {resource}: cpu and memory have parameters of their own (-Cpu, -CpuLimit, -Memory, -MemoryLimit); -Resource is for the others, e.g. -Resource @{{ 'nvidia.com/gpu' = 1 }}.");
        }

        var extended = resource.Contains('/', StringComparison.Ordinal) && !resource.StartsWith("kubernetes.io/", StringComparison.Ordinal) && !resource.StartsWith("requests.", StringComparison.Ordinal);
        if (!(extended && KubernetesNames.IsQualifiedName(resource)) && resource != "ephemeral-storage" && !resource.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            throw Invalid($"-Resource '{resource}' is not a resource a container can ask for: give ephemeral-storage, hugepages-<size>, or an extended resource named 'domain/name' outside kubernetes.io (nvidia.com/gpu).");
        }

        if (extended && !WholeNumber().IsMatch(value.Trim()))
        {
            throw Invalid($"-Resource {resource} = '{value}': an extended resource is counted in whole units; give a whole number, e.g. -Resource @{{ '{resource}' = 1 }}.");
        }

        return ParseQuantity(value, "memory", $"-Resource {resource}");
    }

    private static string? WorkingDirectory(string? directory) =>
        directory is null || directory.StartsWith('/')
            ? directory
            : throw Invalid($"-WorkingDirectory '{directory}' is not an absolute path; give the directory the command starts in as the container sees it, e.g. /data.");

    private static List<V1LocalObjectReference>? ImagePullSecrets(IReadOnlyList<string>? names) =>
        names is null or { Count: 0 } ? null : names.Select(n => new V1LocalObjectReference { Name = Checked(n, "-ImagePullSecret", "a Secret name") }).ToList();

    /// <summary>A name of an API object (a Secret, a PriorityClass), which is a DNS subdomain.</summary>
    private static string? Checked(string? name, string parameter, string what) =>
        name is null || KubernetesNames.IsSubdomain(name)
            ? name
            : throw Invalid($"{parameter} '{name}' is not {what}, which is {KubernetesNames.SubdomainRule}.");

    /// <summary>activeDeadlineSeconds: whole seconds, a fraction rounded up so that the limit is never shorter than asked.</summary>
    private static long? ActiveDeadlineSeconds(TimeSpan? deadline) =>
        deadline is not { } given ? null
        : given > TimeSpan.Zero ? (long)Math.Ceiling(given.TotalSeconds)
        : throw Invalid($"-ActiveDeadline must be positive, not {given}. It is how long the pod may run, counted from its start on the node, e.g. 30m or 3600.");

    private static void Unique(IEnumerable<string> values, string message)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values.Where(v => !seen.Add(v)))
        {
            throw Invalid(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, value));
        }
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

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);

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

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex NonNameCharacters();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NonLabelCharacters();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Quantity();
}
