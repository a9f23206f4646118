namespace PodManager.TestCluster.ApiServer.Types;

/// <summary>A scalar the tables name: protobuf's scalar types, and <c>any</c> for values of any JSON type (a table cell).</summary>
internal enum Scalar
{
    None,
    String,
    Int32,
    Int64,
    Bool,
    Bytes,
    Double,
    Any,
}

/// <summary>How a list merges: <c>x-kubernetes-list-type</c> (atomic unless the table says otherwise).</summary>
internal enum ListType
{
    Atomic,
    Map,
    Set,
}

/// <summary>
/// One field of an <see cref="ApiType"/>: its JSON name, protobuf number (0 when the type has no protobuf form), value
/// type (a <see cref="Scalar"/> or a named type, alone, as a list or as a map with string keys), and what the OpenAPI
/// says of it (required, enum values, list type and keys, strategic-merge key).
/// </summary>
internal sealed class ApiField
{
    public required string JsonName { get; init; }

    public required int Number { get; init; }

    public required Scalar Scalar { get; init; }

    /// <summary>The named type of the value (or of each element), when it is not a scalar.</summary>
    public string? TypeName { get; init; }

    public bool IsList { get; init; }

    public bool IsMap { get; init; }

    /// <summary>A Go pointer: a zero value is a value (kept when decoding protobuf), absence is nil.</summary>
    public bool IsPointer { get; init; }

    /// <summary>Embedded with <c>json:",inline"</c>: its fields appear in the parent's JSON object.</summary>
    public bool IsInline { get; init; }

    public bool IsRequired { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public ListType ListType { get; init; }

    public IReadOnlyList<string> ListKeys { get; init; } = [];

    /// <summary>The strategic-merge-patch strategy is merge (<c>x-kubernetes-patch-strategy: merge</c>).</summary>
    public bool PatchMerge { get; init; }

    /// <summary><c>x-kubernetes-patch-merge-key</c>, for lists of objects merged by a key.</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary>The resolved named type; set once every table is loaded.</summary>
    public ApiType? Type { get; internal set; }
}
