using System.Text.Json;

namespace PodManager.TestCluster.ApiServer;

internal sealed record StatusCause(string Reason, string Message, string? Field = null);

internal sealed record StatusDetails(
    string? Name = null,
    string? Kind = null,
    string? Uid = null,
    IReadOnlyList<StatusCause>? Causes = null,
    int? RetryAfterSeconds = null,
    string? Group = null);

/// <summary>A Kubernetes <c>Status</c> object, rendered with the field order and omissions of the real server.</summary>
internal sealed record ApiStatus(int Code, string Reason, string Message, StatusDetails? Details = null)
{
    public bool IsSuccess => Code is >= 200 and < 300;

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.ToArray();
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Status");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteString("status", IsSuccess ? "Success" : "Failure");
        if (Message.Length > 0)
        {
            writer.WriteString("message", Message);
        }

        if (Reason.Length > 0)
        {
            writer.WriteString("reason", Reason);
        }

        if (Details is not null)
        {
            WriteDetails(writer, Details);
        }

        writer.WriteNumber("code", Code);
        writer.WriteEndObject();
    }

    private static void WriteDetails(Utf8JsonWriter writer, StatusDetails details)
    {
        writer.WriteStartObject("details");
        WriteIfPresent(writer, "name", details.Name);
        WriteIfPresent(writer, "group", details.Group);
        WriteIfPresent(writer, "kind", details.Kind);
        WriteIfPresent(writer, "uid", details.Uid);
        if (details.Causes is { Count: > 0 } causes)
        {
            writer.WriteStartArray("causes");
            foreach (var cause in causes)
            {
                writer.WriteStartObject();
                writer.WriteString("reason", cause.Reason);
                writer.WriteString("message", cause.Message);
                WriteIfPresent(writer, "field", cause.Field);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (details.RetryAfterSeconds is { } retryAfter)
        {
            writer.WriteNumber("retryAfterSeconds", retryAfter);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
