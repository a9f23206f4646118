using System.Text;
using k8s.Models;

namespace PodManager.TestCluster.ApiServer;

/// <summary>
/// kubectl's typed clients send the self-subject reviews of <c>kubectl auth can-i</c> and <c>kubectl auth whoami</c>
/// as protobuf (<c>application/vnd.kubernetes.protobuf</c>): the <c>k8s\0</c> magic, a runtime.Unknown envelope
/// (typeMeta = 1, raw = 2), and in raw the object by the field numbers of k8s.io/api's generated.proto. This reads
/// the fields those three kinds have; the answer goes back as JSON, which clients accept.
/// </summary>
internal static class ReviewProtobuf
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static V1SelfSubjectAccessReview AccessReview(byte[] body)
    {
        var review = new V1SelfSubjectAccessReview { Spec = new V1SelfSubjectAccessReviewSpec() };
        foreach (var field in Fields(Raw(body)).Where(f => f.Number == 2))
        {
            foreach (var attributes in Fields(field.Bytes))
            {
                if (attributes.Number == 1)
                {
                    var resource = new V1ResourceAttributes();
                    foreach (var value in Fields(attributes.Bytes))
                    {
                        var text = value.Text;
                        _ = value.Number switch
                        {
                            1 => resource.NamespaceProperty = text,
                            2 => resource.Verb = text,
                            3 => resource.Group = text,
                            4 => resource.Version = text,
                            5 => resource.Resource = text,
                            6 => resource.Subresource = text,
                            7 => resource.Name = text,
                            _ => null,
                        };
                    }

                    review.Spec.ResourceAttributes = resource;
                }
                else if (attributes.Number == 2)
                {
                    var nonResource = new V1NonResourceAttributes();
                    foreach (var value in Fields(attributes.Bytes))
                    {
                        _ = value.Number switch
                        {
                            1 => nonResource.Path = value.Text,
                            2 => nonResource.Verb = value.Text,
                            _ => null,
                        };
                    }

                    review.Spec.NonResourceAttributes = nonResource;
                }
            }
        }

        return review;
    }

    public static V1SelfSubjectRulesReview RulesReview(byte[] body)
    {
        var review = new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec() };
        foreach (var value in Fields(Raw(body)).Where(f => f.Number == 2).SelectMany(spec => Fields(spec.Bytes)).Where(f => f.Number == 1))
        {
            review.Spec.NamespaceProperty = value.Text;
        }

        return review;
    }

    /// <summary>The object inside the runtime.Unknown envelope.</summary>
    private static ReadOnlyMemory<byte> Raw(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiErrors.BadRequest("the body of the request is not a Kubernetes protobuf message: the k8s\\x00 prefix is missing");
        }

        return Fields(body.AsMemory(Magic.Length)).FirstOrDefault(f => f.Number == 2)?.Bytes ?? ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>The fields of a message; only length-delimited ones carry bytes, the others are skipped over.</summary>
    private static List<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = Varint(span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    Varint(span, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(span, ref position);
                    if (length < 0 || position + length > span.Length)
                    {
                        throw ApiErrors.BadRequest("the body of the request is not a valid protobuf message");
                    }

                    fields.Add(new Field(number, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw ApiErrors.BadRequest("the body of the request is not a valid protobuf message");
            }
        }

        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && position < span.Length; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw ApiErrors.BadRequest("the body of the request is not a valid protobuf message");
    }

    private sealed record Field(int Number, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes.Span);
    }
}
