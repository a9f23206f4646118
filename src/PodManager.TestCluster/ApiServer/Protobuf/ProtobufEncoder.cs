using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using PodManager.TestCluster.ApiServer.Types;

namespace PodManager.TestCluster.ApiServer.Protobuf;

/// <summary>
/// Encodes the JSON of an object as the protobuf message of its <see cref="ApiType"/>, driven by the type tables:
/// fields in number order, lists unpacked and maps as key/value entries, as gogo-protobuf writes them for Kubernetes.
/// </summary>
internal static class ProtobufEncoder
{
    public static byte[] Encode(JsonElement json, ApiType type)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        WriteFields(output, json, type);
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteFields(CodedOutputStream output, JsonElement json, ApiType type)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{type.ShortName} must be a JSON object, not {json.ValueKind}");
        }

        foreach (var field in type.Fields.OrderBy(f => f.Number))
        {
            if (field.IsInline)
            {
                WriteMessage(output, field.Number, Encode(json, field.Type!));
                continue;
            }

            if (!json.TryGetProperty(field.JsonName, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.IsMap)
            {
                foreach (var entry in value.EnumerateObject())
                {
                    using var buffer = new MemoryStream();
                    var entryOutput = new CodedOutputStream(buffer);
                    entryOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    entryOutput.WriteString(entry.Name);
                    if (entry.Value.ValueKind != JsonValueKind.Null)
                    {
                        WriteValue(entryOutput, 2, entry.Value, field);
                    }

                    entryOutput.Flush();
                    WriteMessage(output, field.Number, buffer.ToArray());
                }
            }
            else if (field.IsList)
            {
                foreach (var element in value.EnumerateArray())
                {
                    WriteValue(output, field.Number, element, field);
                }
            }
            else
            {
                WriteValue(output, field.Number, value, field);
            }
        }
    }

    private static void WriteValue(CodedOutputStream output, int number, JsonElement value, ApiField field)
    {
        switch (field.Scalar)
        {
            case Scalar.String:
                output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                output.WriteString(value.GetString());
                break;
            case Scalar.Bytes:
                output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(value.GetBytesFromBase64()));
                break;
            case Scalar.Int32:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteInt32(value.GetInt32());
                break;
            case Scalar.Int64:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteInt64(value.GetInt64());
                break;
            case Scalar.Bool:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteBool(value.GetBoolean());
                break;
            case Scalar.Double:
                output.WriteTag(number, WireFormat.WireType.Fixed64);
                output.WriteDouble(value.GetDouble());
                break;
            case Scalar.None:
                WriteMessage(output, number, EncodeNamed(value, field.Type!));
                break;
            default:
                throw new FormatException($"{field.JsonName} ({field.Scalar}) has no protobuf form");
        }
    }

    /// <summary>A value of a named type: its fields, or the message behind the JSON form apimachinery gives it.</summary>
    private static byte[] EncodeNamed(JsonElement value, ApiType type)
    {
        if (type.Form == JsonForm.Fields)
        {
            return Encode(value, type);
        }

        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        switch (type.Form)
        {
            case JsonForm.DateTime or JsonForm.DateTimeMicro:
                var time = DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(time.ToUnixTimeSeconds());
                var nanos = (int)(time.UtcTicks % TimeSpan.TicksPerSecond * 100);
                if (type.Form == JsonForm.DateTimeMicro && nanos != 0)
                {
                    output.WriteTag(2, WireFormat.WireType.Varint);
                    output.WriteInt32(nanos);
                }

                break;
            case JsonForm.Quantity:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteString(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString());
                break;
            case JsonForm.IntOrString when value.ValueKind == JsonValueKind.Number:
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(0);
                output.WriteTag(2, WireFormat.WireType.Varint);
                output.WriteInt32(value.GetInt32());
                break;
            case JsonForm.IntOrString:
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(1);
                output.WriteTag(3, WireFormat.WireType.LengthDelimited);
                output.WriteString(value.GetString());
                break;
            case JsonForm.Object:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(ProtobufEnvelope.EncodeEmbedded(value)));
                break;
            case JsonForm.Items:
                foreach (var item in value.EnumerateArray())
                {
                    output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    output.WriteString(item.GetString());
                }

                break;
        }

        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, int number, byte[] message)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }
}
