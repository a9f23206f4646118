namespace PodManager.Engine.Logs;

/// <summary>
/// One log line as bytes: the kubelet's stamp and the message, slices of the reader's buffer that are valid
/// only until the next line is read. <see cref="Nanoseconds"/> is null for a line without a stamp.
/// </summary>
internal readonly record struct RawLogLine(ReadOnlyMemory<byte> Stamp, ReadOnlyMemory<byte> Message, long? Nanoseconds);
