namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>Finds where the last N lines of a log begin by scanning backwards in blocks (the kubelet's tail.FindTailLineStartIndex).</summary>
internal static class LogTail
{
    private const int BlockSize = 64 * 1024;

    public static long FindStart(Stream stream, long length, long lines)
    {
        if (lines <= 0)
        {
            return length;
        }

        var buffer = new byte[BlockSize];
        var newlines = 0L;
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - BlockSize);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            for (var i = count - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n' || start + i == length - 1)
                {
                    continue;
                }

                if (++newlines == lines)
                {
                    return start + i + 1;
                }
            }

            end = start;
        }

        return 0;
    }
}
