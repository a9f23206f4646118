using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace PodManager.Engine.Connections;

/// <summary>
/// Turns <see cref="ConnectionSettings"/> into a client configuration the way kubectl does:
/// explicit file, else KUBECONFIG (merged), else ~/.kube/config; the context's namespace is the default.
/// </summary>
internal static class ConnectionResolver
{
    /// <summary>The engine cache key (<see cref="KConnection.Key"/>) of the in-cluster connection: a pod has one service account.</summary>
    public const string InClusterKey = "incluster";

    private const string ServiceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public static ResolvedConnection Resolve(ConnectionSettings settings)
    {
        if (settings.InCluster)
        {
            return ResolveInCluster();
        }

        if (settings.Server is { } server)
        {
            return ServerAndToken.Resolve(server, settings.Token ?? "", settings.CertificateAuthority);
        }

        if (settings.KubeConfigContent is { } content)
        {
            var parsed = Parse(() => KubeConfigReader.Parse(content) ?? throw new InvalidDataException("it is empty."), "kubeconfig content given");
            var key = "content:" + Hash(content);
            return Build(parsed, settings.Context, key, kubeConfigDescription: null);
        }

        var files = KubeConfigFiles(settings.KubeConfigPath);
        if (files.Count == 0)
        {
            // As kubectl and client-go do: inside a pod, with no kubeconfig anywhere, use the pod's service account.
            return ResolveInCluster();
        }

        var config = Parse(() => KubeConfigMerger.Load(files), "kubeconfig " + string.Join(", ", files));
        var fileKey = "file:" + string.Join(Path.PathSeparator, files.Select(f => f + "@" + File.GetLastWriteTimeUtc(f).Ticks));
        return Build(config, settings.Context, fileKey, string.Join(Path.PathSeparator, files));
    }

    private static ResolvedConnection ResolveInCluster()
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new PodManagerException(
                ErrorIds.NotInCluster,
                "-InCluster needs a pod's service account (KUBERNETES_SERVICE_HOST and /var/run/secrets/kubernetes.io/serviceaccount), and this process has none. Run inside a pod, or pass -KubeConfig.")
                { IsFatal = true };
        }

        var config = KubernetesClientConfiguration.InClusterConfig();
        var connection = new KConnection(InClusterKey, null, null, config.Host, config.Namespace ?? "default");

        // The kubelet rotates the projected service-account token in place; read it again when the server refuses it.
        config.TokenProvider = TokenSources.File(ServiceAccountTokenPath, "in-cluster service account token");
        return new ResolvedConnection(config, connection, new ClientIdentity("the pod's service account", (RefreshingToken)config.TokenProvider));
    }

    internal static List<string> KubeConfigFiles(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full))
            {
                throw new PodManagerException(
                    ErrorIds.KubeConfigNotFound,
                    $"The kubeconfig file '{full}' does not exist. Pass the path of an existing kubeconfig to -KubeConfig, or leave it out to use KUBECONFIG or ~/.kube/config.")
                    { IsFatal = true };
            }

            return [full];
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var existing = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Where(File.Exists)
                .Distinct()
                .ToList();
            if (existing.Count > 0)
            {
                return existing;
            }

            throw new PodManagerException(
                ErrorIds.KubeConfigNotFound,
                $"None of the files in KUBECONFIG ('{fromEnvironment}') exists. Point KUBECONFIG at a kubeconfig file, or pass -KubeConfig.")
                { IsFatal = true };
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return [home];
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return [];
        }

        throw new PodManagerException(
            ErrorIds.KubeConfigNotFound,
            $"No kubeconfig found: -KubeConfig was not given, KUBECONFIG is not set and '{home}' does not exist. Pass -KubeConfig, set KUBECONFIG, or use -InCluster inside a pod.")
            { IsFatal = true };
    }

    private static K8SConfiguration Parse(Func<K8SConfiguration> load, string source)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is not PodManagerException)
        {
            throw new PodManagerException(
                ErrorIds.InvalidKubeConfig,
                $"Cannot read the {source}: {Describe(e)} Check that it is a valid kubeconfig (kubectl config view --kubeconfig <file>).")
                { IsFatal = true };
        }
    }

    private static ResolvedConnection Build(K8SConfiguration config, string? context, string keyBase, string? kubeConfigDescription)
    {
        var contextName = context ?? config.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new PodManagerException(
                ErrorIds.ContextNotFound,
                $"The kubeconfig has no current-context. Pass -Context with one of: {ContextNames(config)}.")
                { IsFatal = true };
        }

        if (config.Contexts?.Any(c => c.Name == contextName) != true)
        {
            throw new PodManagerException(
                ErrorIds.ContextNotFound,
                $"The kubeconfig has no context '{contextName}'. Pass -Context with one of: {ContextNames(config)}.")
                { IsFatal = true };
        }

        TokenSources.ReadTokenFile(config, contextName);
        KubernetesClientConfiguration clientConfig;
        try
        {
            clientConfig = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, contextName);
        }
        catch (KubeConfigException e)
        {
            throw new PodManagerException(
                ErrorIds.InvalidKubeConfig,
                $"The kubeconfig context '{contextName}' is incomplete: {Redact(e.Message)}. Fix the context's cluster and user entries.")
                { IsFatal = true };
        }
        catch (Exception e) when (e is FormatException or CryptographicException || (e is IOException && ClusterOf(config, contextName)?.CertificateAuthority is not null))
        {
            // KubernetesClient decodes (or reads) the cluster's CA while building the configuration; only that fails this way.
            throw InvalidCertificateAuthority(config, contextName, $"it is not a certificate ({Redact(e.Message).TrimEnd('.')})");
        }

        if (clientConfig.SslCaCerts is { Count: 0 })
        {
            // Base64 of something that holds no PEM block decodes to no certificate at all, and every server would be rejected.
            throw InvalidCertificateAuthority(config, contextName, "it holds no certificate");
        }

        var connection = new KConnection(
            keyBase + "|" + contextName,
            kubeConfigDescription,
            contextName,
            clientConfig.Host ?? "",
            string.IsNullOrEmpty(clientConfig.Namespace) ? "default" : clientConfig.Namespace);
        return new ResolvedConnection(clientConfig, connection, TokenSources.Identity(config, contextName, clientConfig));
    }

    private static ClusterEndpoint? ClusterOf(K8SConfiguration config, string contextName) =>
        config.Clusters?.FirstOrDefault(c => c.Name == config.Contexts.First(x => x.Name == contextName).ContextDetails?.Cluster)?.ClusterEndpoint;

    private static PodManagerException InvalidCertificateAuthority(K8SConfiguration config, string contextName, string problem)
    {
        var cluster = config.Contexts.First(c => c.Name == contextName).ContextDetails?.Cluster;
        return new PodManagerException(
            ErrorIds.InvalidCertificateAuthority,
            $"The certificate authority of cluster '{cluster}' (context '{contextName}') cannot be used: {problem}. Put the base64 of the cluster's CA certificate (PEM) in certificate-authority-data, or the path of a PEM file in certificate-authority, as in the kubeconfig the cluster's administrator gave out.")
            { IsFatal = true };
    }

    // A YAML error's own message may quote the offending text, which can be a token: say only where it is.
    private static string Describe(Exception e) => e switch
    {
        YamlDotNet.Core.YamlException yaml => $"it is not valid YAML (line {yaml.Start.Line}, column {yaml.Start.Column}).",
        _ when e.InnerException is YamlDotNet.Core.YamlException inner => Describe(inner),
        InvalidDataException empty => empty.Message,
        _ => $"{e.GetType().Name}.",
    };

    private static string ContextNames(K8SConfiguration config) =>
        config.Contexts is { } contexts && contexts.Any() ? string.Join(", ", contexts.Select(c => c.Name)) : "(none: the kubeconfig defines no contexts)";

    private static string Hash(string content) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..16];

    // KubernetesClient messages name files and fields, not secrets; this is a belt against future changes.
    private static string Redact(string message) => SecretRedactor.Redact(message);
}
