namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>
/// Every type of the type tables (<c>*.types</c>, embedded in the assembly), by OpenAPI name and by kind. The tables
/// are facts of the Kubernetes 1.32 API, read once per process; protobuf, the OpenAPI document, response validation
/// and server-side apply all read them from here.
/// </summary>
internal sealed class ApiTypes
{
    private static readonly Lazy<ApiTypes> Loaded = new(Load);

    private readonly Dictionary<string, ApiType> byName;
    private readonly Dictionary<(string ApiVersion, string Kind), ApiType> kinds;
    private readonly Dictionary<string, ApiType> metaKinds;

    private ApiTypes(IEnumerable<ApiType> types)
    {
        byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var field in byName.Values.SelectMany(t => t.Fields).Where(f => f.TypeName is not null))
        {
            field.Type = byName.GetValueOrDefault(field.TypeName!) ?? throw new FormatException($"type {field.TypeName} is not in any type table");
        }

        foreach (var type in byName.Values)
        {
            type.Complete();
        }

        kinds = byName.Values.Where(t => t.IsKind && t.ApiVersion is not null).ToDictionary(t => (t.ApiVersion!, t.ShortName));
        metaKinds = byName.Values.Where(t => t.IsKind && t.Package == MetaPackage).ToDictionary(t => t.ShortName, StringComparer.Ordinal);
    }

    public const string MetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";

    public static ApiTypes Instance => Loaded.Value;

    public IEnumerable<ApiType> All => byName.Values;

    public ApiType? Find(string name) => byName.GetValueOrDefault(name);

    public ApiType Get(string name) => Find(name) ?? throw new KeyNotFoundException($"type {name} is not in any type table");

    /// <summary>
    /// The type of an object with this <c>apiVersion</c> and <c>kind</c>. The kinds of meta.k8s.io (Status,
    /// DeleteOptions, APIResourceList, …) are accepted in every group version, as the API server registers them.
    /// </summary>
    public ApiType? ForKind(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind))
        {
            return null;
        }

        return kinds.GetValueOrDefault((apiVersion ?? string.Empty, kind)) ?? metaKinds.GetValueOrDefault(kind);
    }

    private static ApiTypes Load()
    {
        var assembly = typeof(ApiTypes).Assembly;
        var types = new List<ApiType>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".types", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            types.AddRange(TypeTableParser.Parse(reader.ReadToEnd(), resource));
        }

        return new ApiTypes(types);
    }
}
