using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.Protobuf;

/// <summary>
/// Decodes a protobuf message of an <see cref="ApiType"/> into the JSON the API server would have received for it,
/// driven by the type tables. As gogo-protobuf's generated code does, a field missing from the message is its zero
/// value, and Go's JSON drops zero values of non-pointer fields (<c>omitempty</c>), so those are left out; a pointer
/// field that is present keeps its value, zero or not.
/// </summary>
internal static class ProtobufDecoder
{
    public static JsonObject Decode(ReadOnlySpan<byte> message, ApiType type)
    {
        var result = new JsonObject();
        Read(message.ToArray(), type, result);
        return result;
    }

    private static void Read(byte[] message, ApiType type, JsonObject target)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = type.FieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }

            if (field.IsInline)
            {
                Read(input.ReadBytes().ToByteArray(), field.Type!, target);
                continue;
            }

            if (field.IsMap)
            {
                var (key, value) = ReadMapEntry(input.ReadBytes().ToByteArray(), field);
                ((target[field.JsonName] ??= new JsonObject()).AsObject())[key] = value;
                continue;
            }

            if (field.IsList)
            {
                var list = (target[field.JsonName] ??= new JsonArray()).AsArray();
                if (field.Scalar is not (Scalar.None or Scalar.String or Scalar.Bytes) && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    // A packed list of numbers.
                    var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packed.IsAtEnd)
                    {
                        list.Add(ReadScalar(packed, field.Scalar));
                    }
                }
                else
                {
                    list.Add(ReadValue(input, field));
                }

                continue;
            }

            var single = ReadValue(input, field);
            if (field.IsPointer || !IsZero(single))
            {
                target[field.JsonName] = single;
            }
        }
    }

    private static JsonNode? ReadValue(CodedInputStream input, ApiField field) =>
        field.Scalar == Scalar.None ? ReadNamed(input.ReadBytes().ToByteArray(), field.Type!) : ReadScalar(input, field.Scalar);

    private static JsonNode? ReadScalar(CodedInputStream input, Scalar scalar) => scalar switch
    {
        Scalar.String => JsonValue.Create(input.ReadString()),
        Scalar.Int32 => JsonValue.Create(input.ReadInt32()),
        Scalar.Int64 => JsonValue.Create(input.ReadInt64()),
        Scalar.Bool => JsonValue.Create(input.ReadBool()),
        Scalar.Double => JsonValue.Create(input.ReadDouble()),
        Scalar.Bytes => JsonValue.Create(Convert.ToBase64String(input.ReadBytes().Span)),
        _ => throw new FormatException($"a {scalar} field has no protobuf form"),
    };

    private static (string Key, JsonNode? Value) ReadMapEntry(byte[] entry, ApiField field)
    {
        var input = new CodedInputStream(entry);
        var key = string.Empty;
        JsonNode? value = field.Scalar switch
        {
            Scalar.String => JsonValue.Create(string.Empty),
            Scalar.Bytes => JsonValue.Create(string.Empty),
            _ => null,
        };
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = ReadValue(input, field);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (key, value);
    }

    /// <summary>A message of a named type: its fields, or the JSON form apimachinery gives it.</summary>
    private static JsonNode? ReadNamed(byte[] message, ApiType type)
    {
        if (type.Form == JsonForm.Fields)
        {
            var result = new JsonObject();
            Read(message, type, result);
            return result;
        }

        var fields = ReadRawFields(message);
        return type.Form switch
        {
            JsonForm.DateTime => fields.Count == 0 ? null : JsonValue.Create(FormatTime(fields, micro: false)),
            JsonForm.DateTimeMicro => fields.Count == 0 ? null : JsonValue.Create(FormatTime(fields, micro: true)),
            JsonForm.Quantity => JsonValue.Create(fields.TryGetValue(1, out var quantity) ? ((ByteString)quantity[0]).ToStringUtf8() : "0"),
            JsonForm.IntOrString => fields.TryGetValue(1, out var kind) && (ulong)kind[0] == 1
                ? JsonValue.Create(fields.TryGetValue(3, out var text) ? ((ByteString)text[0]).ToStringUtf8() : string.Empty)
                : JsonValue.Create(fields.TryGetValue(2, out var number) ? (int)(ulong)number[0] : 0),
            JsonForm.Object => fields.TryGetValue(1, out var raw) ? ProtobufEnvelope.DecodeEmbedded(((ByteString)raw[0]).Span) : null,
            JsonForm.Items => new JsonArray(fields.GetValueOrDefault(1, []).Select(item => (JsonNode?)JsonValue.Create(((ByteString)item).ToStringUtf8())).ToArray()),
            _ => throw new FormatException($"unknown JSON form of {type.Name}"),
        };
    }

    /// <summary>The fields of a small message as varints (ulong) and length-delimited values (ByteString), by number.</summary>
    public static Dictionary<int, List<object>> ReadRawFields(byte[] message)
    {
        var fields = new Dictionary<int, List<object>>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                _ => throw new FormatException($"unexpected wire type in field {WireFormat.GetTagFieldNumber(tag)}"),
            };
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!fields.TryGetValue(number, out var values))
            {
                fields[number] = values = [];
            }

            values.Add(value);
        }

        return fields;
    }

    private static string FormatTime(Dictionary<int, List<object>> fields, bool micro)
    {
        var seconds = fields.TryGetValue(1, out var s) ? (long)(ulong)s[0] : 0;
        var nanos = fields.TryGetValue(2, out var n) ? (int)(ulong)n[0] : 0;
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return micro
            ? time.AddTicks(nanos / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonObject obj => obj.Count == 0,
        JsonArray array => array.Count == 0,
        JsonValue scalar => scalar.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => scalar.GetValue<string>().Length == 0,
            System.Text.Json.JsonValueKind.False => true,
            System.Text.Json.JsonValueKind.Number => scalar.ToJsonString() == "0",
            _ => false,
        },
        _ => false,
    };
}
