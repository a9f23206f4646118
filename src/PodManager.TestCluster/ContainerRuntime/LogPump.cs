namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Copies a container's merged stdout/stderr pipe into its <see cref="LogFile"/>, cutting lines and stamping each
/// with the time it was read. A final line without a newline still becomes a line; an endless line is cut at
/// <see cref="MaxLineBytes"/> so memory stays bounded.
/// </summary>
internal static class LogPump
{
    private const int MaxLineBytes = 1024 * 1024;

    public static async Task RunAsync(Stream pipe, LogFile log, TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var pending = new MemoryStream();
        try
        {
            int read;
            while ((read = await pipe.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var readAt = time.GetUtcNow().UtcDateTime;
                var chunk = buffer.AsSpan(0, read);
                int newline;
                while ((newline = chunk.IndexOf((byte)'\n')) >= 0)
                {
                    AppendLine(log, pending, chunk[..newline], readAt);
                    chunk = chunk[(newline + 1)..];
                }

                pending.Write(chunk);
                if (pending.Length >= MaxLineBytes)
                {
                    AppendLine(log, pending, [], readAt);
                }

                log.Commit();
            }

            if (pending.Length > 0)
            {
                AppendLine(log, pending, [], time.GetUtcNow().UtcDateTime);
            }
        }
        finally
        {
            log.Complete();
        }
    }

    private static void AppendLine(LogFile log, MemoryStream pending, ReadOnlySpan<byte> tail, DateTime readAt)
    {
        if (pending.Length == 0)
        {
            log.Append(tail, readAt);
            return;
        }

        pending.Write(tail);
        log.Append(pending.GetBuffer().AsSpan(0, (int)pending.Length), readAt);
        pending.SetLength(0);
    }
}
