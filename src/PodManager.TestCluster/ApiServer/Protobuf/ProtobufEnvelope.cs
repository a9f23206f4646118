using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.Protobuf;

/// <summary>
/// The <c>application/vnd.kubernetes.protobuf</c> envelope (k8s.io/apimachinery/pkg/runtime/serializer/protobuf):
/// the four bytes <c>k8s\0</c>, then a <c>runtime.Unknown</c> whose <c>typeMeta</c> names the apiVersion and kind and
/// whose <c>raw</c> is the object's message.
/// </summary>
internal static class ProtobufEnvelope
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>The object in an envelope, as JSON with its apiVersion and kind.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw new FormatException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var unknown = ProtobufDecoder.ReadRawFields(body[Magic.Length..].ToArray());
        var typeMeta = unknown.TryGetValue(1, out var meta) ? ProtobufDecoder.ReadRawFields(((ByteString)meta[0]).ToByteArray()) : [];
        var apiVersion = Text(typeMeta, 1);
        var kind = Text(typeMeta, 2);
        var raw = unknown.TryGetValue(2, out var message) ? (ByteString)message[0] : ByteString.Empty;
        var type = ApiTypes.Instance.ForKind(apiVersion, kind) is { HasProtobuf: true } found
            ? found
            : throw new FormatException($"no kind \"{kind}\" is registered for version \"{apiVersion}\"");
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in ProtobufDecoder.Decode(raw.Span, type).ToList())
        {
            result[name] = value?.DeepClone();
        }

        return result;
    }

    /// <summary>The type an object would be encoded as, or null when its kind has no protobuf form.</summary>
    public static ApiType? EncodableType(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && ApiTypes.Instance.ForKind(Property(json, "apiVersion"), Property(json, "kind")) is { HasProtobuf: true } type
            ? type
            : null;

    /// <summary>An object's envelope; its kind must be <see cref="EncodableType"/>.</summary>
    public static byte[] Encode(JsonElement json, ApiType type)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        var output = new CodedOutputStream(buffer);
        using (var typeMeta = new MemoryStream())
        {
            var meta = new CodedOutputStream(typeMeta);
            WriteString(meta, 1, Property(json, "apiVersion") ?? string.Empty);
            WriteString(meta, 2, Property(json, "kind") ?? string.Empty);
            meta.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(typeMeta.ToArray()));
        }

        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(ProtobufEncoder.Encode(json, type)));
        WriteString(output, 3, string.Empty);
        WriteString(output, 4, string.Empty);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>A <c>runtime.RawExtension</c>'s bytes: an object in its envelope when it has a protobuf form, else its JSON.</summary>
    public static byte[] EncodeEmbedded(JsonElement value) =>
        EncodableType(value) is { } type ? Encode(value, type) : Encoding.UTF8.GetBytes(value.GetRawText());

    /// <summary>The JSON of a <c>runtime.RawExtension</c>'s bytes (an envelope or JSON).</summary>
    public static JsonNode? DecodeEmbedded(ReadOnlySpan<byte> raw) =>
        raw.IsEmpty ? null : raw.StartsWith(Magic) ? Decode(raw) : JsonNode.Parse(raw);

    private static string Text(Dictionary<int, List<object>> fields, int number) =>
        fields.TryGetValue(number, out var values) ? ((ByteString)values[0]).ToStringUtf8() : string.Empty;

    private static void WriteString(CodedOutputStream output, int number, string value)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static string? Property(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
