using System.Text.Json;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Printers;

internal enum TableObjectMode
{
    None,
    Metadata,
    Object,
}

/// <summary>Renders <c>meta.k8s.io/v1 Table</c> responses for kubectl's human-readable output.</summary>
internal static class TableWriter
{
    private static readonly TableColumn NameColumn = new("Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");
    private static readonly TableColumn CreatedColumn = new("Created At", "date", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created.");

    /// <summary>True when the Accept header asks for a Table.</summary>
    public static bool IsRequested(HttpRequest request) =>
        request.Headers.Accept.Any(value => value is not null && value.Contains("as=Table", StringComparison.Ordinal));

    public static TableObjectMode ObjectMode(IQueryCollection query) =>
        QueryParameters.GetString(query, "includeObject") switch
        {
            "None" => TableObjectMode.None,
            "Object" => TableObjectMode.Object,
            _ => TableObjectMode.Metadata,
        };

    public static byte[] Render<T>(
        TableConverter<T>? converter,
        IEnumerable<StoredObject<T>> items,
        string resourceVersion,
        string? continueToken,
        TableObjectMode mode,
        DateTime now,
        bool includeColumns = true)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Table");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            writer.WriteEndObject();
            if (includeColumns)
            {
                WriteColumns(writer, converter?.Columns ?? [NameColumn, CreatedColumn]);
            }
            else
            {
                writer.WriteNull("columnDefinitions");
            }

            writer.WriteStartArray("rows");
            foreach (var item in items)
            {
                WriteRow(writer, converter, item, mode, now);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteColumns(Utf8JsonWriter writer, IReadOnlyList<TableColumn> columns)
    {
        writer.WriteStartArray("columnDefinitions");
        foreach (var column in columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteString("format", column.Format);
            writer.WriteString("description", column.Description);
            writer.WriteNumber("priority", column.Priority);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRow<T>(Utf8JsonWriter writer, TableConverter<T>? converter, StoredObject<T> item, TableObjectMode mode, DateTime now)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        var cells = converter?.Cells(item.Value, now)
            ?? [item.Value.Metadata.Name, item.Value.Metadata.CreationTimestamp?.ToString("yyyy-MM-ddTHH:mm:ssZ")];
        foreach (var cell in cells)
        {
            switch (cell)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    writer.WriteStringValue(cell.ToString());
                    break;
            }
        }

        writer.WriteEndArray();
        switch (mode)
        {
            case TableObjectMode.Object:
                writer.WritePropertyName("object");
                writer.WriteRawValue(item.Json, skipInputValidation: true);
                break;
            case TableObjectMode.Metadata:
                writer.WriteStartObject("object");
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", "meta.k8s.io/v1");
                writer.WritePropertyName("metadata");
                writer.WriteRawValue(KubernetesJson.Serialize(item.Value.Metadata), skipInputValidation: true);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }
}
