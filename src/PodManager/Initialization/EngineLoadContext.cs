using System.Reflection;
using System.Runtime.Loader;

namespace PodManager.Commands.Initialization;

/// <summary>
/// The module's own load context: the engine and everything it brings (KubernetesClient, YamlDotNet,
/// Fractions) load here from <c>dependencies/</c>, so another module's YamlDotNet cannot clash with ours.
/// Assemblies not in that folder (the model, the framework) fall through to the default context.
/// </summary>
internal sealed class EngineLoadContext(string dependencyDirectory) : AssemblyLoadContext("PodManager.Engine", isCollectible: false)
{
    public string DependencyDirectory { get; } = dependencyDirectory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(DependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
