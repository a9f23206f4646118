namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>How a type is written in JSON when that is not an object of its fields (apimachinery's custom marshallers).</summary>
internal enum JsonForm
{
    /// <summary>An object of the type's fields.</summary>
    Fields,

    /// <summary>metav1.Time: RFC 3339 in seconds.</summary>
    DateTime,

    /// <summary>metav1.MicroTime: RFC 3339 with six fractional digits.</summary>
    DateTimeMicro,

    /// <summary>resource.Quantity: its canonical string.</summary>
    Quantity,

    /// <summary>intstr.IntOrString: a number or a string.</summary>
    IntOrString,

    /// <summary>runtime.RawExtension and metav1.FieldsV1: an embedded JSON object, opaque to the schema.</summary>
    Object,

    /// <summary>A named list (metav1.Verbs, ExtraValue): the JSON array of its <c>items</c>.</summary>
    Items,
}

/// <summary>
/// One type of the Kubernetes API, as the type tables describe it (<c>ApiServer/Types/*.types</c>): its OpenAPI name
/// (<c>io.k8s.api.core.v1.PodSpec</c>), its fields, and, for a kind, the <c>apiVersion</c> it is served in.
/// </summary>
internal sealed class ApiType
{
    private Dictionary<int, ApiField> byNumber = [];
    private Dictionary<string, ApiField> jsonFields = [];

    public required string Name { get; init; }

    public required string Package { get; init; }

    /// <summary>The package's <c>apiVersion</c> (<c>v1</c>, <c>rbac.authorization.k8s.io/v1</c>); null outside API groups.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>A top-level kind: its JSON carries <c>apiVersion</c> and <c>kind</c>.</summary>
    public bool IsKind { get; init; }

    public JsonForm Form { get; init; }

    public required IReadOnlyList<ApiField> Fields { get; init; }

    public string ShortName => Name[(Name.LastIndexOf('.') + 1)..];

    /// <summary>The type has a protobuf message (its fields have numbers).</summary>
    public bool HasProtobuf => Fields.Count == 0 || Fields.All(f => f.Number > 0);

    public ApiField? FieldByNumber(int number) => byNumber.GetValueOrDefault(number);

    /// <summary>The fields as they appear in the JSON object: inline fields replaced by their type's fields.</summary>
    public IReadOnlyDictionary<string, ApiField> JsonFields => jsonFields;

    /// <summary>Builds the lookups once the field types are resolved (inline types first).</summary>
    internal void Complete()
    {
        byNumber = Fields.Where(f => f.Number > 0).ToDictionary(f => f.Number);
        jsonFields = new Dictionary<string, ApiField>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!field.IsInline)
            {
                jsonFields[field.JsonName] = field;
                continue;
            }

            field.Type!.Complete();
            foreach (var (name, inner) in field.Type.JsonFields)
            {
                jsonFields[name] = inner;
            }
        }
    }
}
