using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace PodManager.Commands.Initialization;

/// <summary>
/// Hooks the default context's resolution for exactly one assembly, PodManager.Engine, and loads it
/// into <see cref="EngineLoadContext"/>; its own dependencies then resolve inside that context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "PodManager.Engine";

    private static readonly EngineLoadContext LoadContext = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies"));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssemblyName ? LoadContext.LoadFromAssemblyName(name) : null;
}
