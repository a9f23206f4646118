using System.Text;
using PodManager.Engine.Logs;
using Xunit;

namespace PodManager.Engine.Tests;

public sealed class NewlineReaderTests
{
    /// <summary>A stream that hands out its data in the chunks given, as a network stream does.</summary>
    private sealed class ChunkedStream(params byte[][] chunks) : Stream
    {
        private readonly Queue<byte[]> pending = new(chunks);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!pending.TryDequeue(out var chunk))
            {
                return 0;
            }

            var taken = Math.Min(count, chunk.Length);
            Buffer.BlockCopy(chunk, 0, buffer, offset, taken);
            if (taken < chunk.Length)
            {
                var rest = new Queue<byte[]>([chunk[taken..], .. pending]);
                pending.Clear();
                foreach (var item in rest)
                {
                    pending.Enqueue(item);
                }
            }

            return taken;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<List<string>> LinesAsync(params string[] chunks)
    {
        using var reader = new NewlineReader(new ChunkedStream(chunks.Select(Encoding.UTF8.GetBytes).ToArray()));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    [Theory] // Airflow's TestPodLogsConsumer.test_chunks: how chunks become lines
    [InlineData(new[] { "message" }, new[] { "message" })]
    [InlineData(new[] { "m1\nm2" }, new[] { "m1", "m2" })]
    [InlineData(new[] { "m1\n", "m2" }, new[] { "m1", "m2" })]
    [InlineData(new[] { "first_part", "_second_part" }, new[] { "first_part_second_part" })]
    [InlineData(new[] { "" }, new string[0])]
    [InlineData(new[] { "a\r\nb\rc\n" }, new[] { "a", "b\rc" })]
    public async Task ChunksBecomeLinesOnNewlinesOnly(string[] chunks, string[] lines) =>
        Assert.Equal(lines, await LinesAsync(chunks));

    [Fact]
    public async Task ALineLongerThanTheBufferSurvives()
    {
        var longLine = new string('x', 200_000);
        Assert.Equal([longLine, "next"], await LinesAsync(longLine[..70_000], longLine[70_000..] + "\nnext"));
    }

    [Fact]
    public async Task ACharacterSplitBetweenTwoReadsIsDecodedWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("h\u00e9llo\n");
        using var reader = new NewlineReader(new ChunkedStream(bytes[..2], bytes[2..]));
        Assert.Equal("h\u00e9llo", await reader.ReadLineAsync(CancellationToken.None));
    }
}
