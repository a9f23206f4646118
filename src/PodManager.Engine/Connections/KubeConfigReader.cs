using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PodManager.Engine.Connections;

/// <summary>
/// Reads a kubeconfig as KubernetesClient's <c>LoadKubeConfig</c> does (same naming convention, unknown keys
/// ignored, merge keys honoured), with a deserializer of its own: KubernetesClient's shared one first maps every
/// API model type, which costs about 0.4 s of a fresh process's first cmdlet and of every -Context completion,
/// for a file that holds none of them.
/// </summary>
internal static class KubeConfigReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .WithTypeMapping<UserCredentials, KubeConfigUserCredentials>()
        .Build();

    /// <summary>A kubeconfig file (null when it is empty); relative certificate and key paths in it resolve against its folder.</summary>
    public static K8SConfiguration? Load(string path)
    {
        var config = Parse(File.ReadAllText(path));
        config?.FileName = Path.GetFullPath(path);
        return config;
    }

    /// <summary>A kubeconfig's text (null when it holds nothing); relative paths in it resolve against the working directory.</summary>
    public static K8SConfiguration? Parse(string content)
    {
        using var reader = new StringReader(content);
        return Deserializer.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(reader)));
    }
}
