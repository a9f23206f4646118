using System.Text.Json.Nodes;
using k8s;
using PodManager.TestCluster.ApiServer.Types;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>The kind's type in the type tables (ApiServer/Types), and what every kind checks by it.</summary>
internal sealed partial class ResourceApi<T>
{
    private ApiType Type => ApiTypes.Instance.ForKind(Info.ApiVersion, Info.Kind) ?? throw new InvalidOperationException($"kind {Info.Kind} of {Info.ApiVersion} is not in the type tables");

    /// <summary>The kind's own rules, then every enum field they left alone (<see cref="EnumRules"/>).</summary>
    private IEnumerable<FieldError> WithEnumRules(T item, IEnumerable<FieldError> errors)
    {
        var specific = errors.ToList();
        return specific.Concat(EnumRules.Validate(ToNode(item), Type).Where(e => specific.All(s => s.Field != e.Field)));
    }

    private static JsonObject ToNode(T item) => JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
}
