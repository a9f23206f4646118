using System.Reflection;
using k8s.Models;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>IPodManager is exactly the engine's members that the cmdlets can compile against: none with a KubernetesClient type, all without one.</summary>
public sealed class EngineSurfaceTests
{
    private static readonly Assembly KubernetesClient = typeof(V1Pod).Assembly;

    private static bool UsesKubernetesClient(Type type) =>
        type.Assembly == KubernetesClient
        || (type.HasElementType && UsesKubernetesClient(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(UsesKubernetesClient));

    private static bool UsesKubernetesClient(MethodInfo method) =>
        UsesKubernetesClient(method.ReturnType) || method.GetParameters().Any(p => UsesKubernetesClient(p.ParameterType));

    [Fact]
    public void TheInterfaceHasNoKubernetesClientType() =>
        Assert.Empty(typeof(IPodManager).GetMethods().Where(UsesKubernetesClient).Select(m => m.Name));

    [Fact]
    public void EveryPublicMemberWithoutAKubernetesClientTypeIsOnTheInterface()
    {
        var implemented = typeof(PodManager).GetInterfaceMap(typeof(IPodManager)).TargetMethods.ToHashSet();
        var missing = typeof(PodManager).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !UsesKubernetesClient(m) && m.Name != nameof(IAsyncDisposable.DisposeAsync) && !implemented.Contains(m))
            .Select(m => m.Name);
        Assert.Empty(missing);
    }
}
