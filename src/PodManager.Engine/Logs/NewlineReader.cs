using System.Buffers;
using System.Text;

namespace PodManager.Engine.Logs;

/// <summary>
/// Splits a byte stream on '\n' only (a log line may contain '\r', e.g. progress bars), keeping one
/// pooled buffer, so reading a log of any size costs the same memory. A final line without '\n' counts.
/// Lines are handed out as slices of that buffer, valid until the next read: no copy, no string.
/// </summary>
/// <param name="keepCarriageReturn">Whether a '\r' before the '\n' stays in the line, so that copying a log gives the bytes kubectl gives.</param>
internal sealed class NewlineReader(Stream stream, bool keepCarriageReturn = false) : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int start;
    private int end;
    private bool endOfStream;

    /// <summary>The line read by the last successful <see cref="MoveNextAsync"/>, without its '\n' (or "\r\n", unless the '\r' is kept).</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                Line = Slice(start, newline);
                start = newline + 1;
                return true;
            }

            if (endOfStream)
            {
                if (start == end)
                {
                    Line = ReadOnlyMemory<byte>.Empty;
                    return false;
                }

                Line = Slice(start, end);
                start = end;
                return true;
            }

            MakeRoom();
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                endOfStream = true;
            }

            end += read;
        }
    }

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await MoveNextAsync(cancellationToken).ConfigureAwait(false) ? Encoding.UTF8.GetString(Line.Span) : null;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private ReadOnlyMemory<byte> Slice(int from, int to)
    {
        var length = to - from;
        if (!keepCarriageReturn && length > 0 && buffer[to - 1] == (byte)'\r')
        {
            length--;
        }

        return buffer.AsMemory(from, length);
    }

    private void MakeRoom()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            Buffer.BlockCopy(buffer, 0, bigger, 0, end);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
    }
}
