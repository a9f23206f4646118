using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>
/// The Kubernetes remote command protocol over a WebSocket (channel.k8s.io v4/v5): binary frames
/// <c>[channel][payload]</c> with 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, and in v5
/// <c>[255][channel]</c> to close a channel. The session sends one empty frame first, keeps a receive pending at
/// all times (so pings are answered), ends with the v4 Status on channel 3, and closes with 1000.
/// </summary>
internal sealed class ExecSession(WebSocket socket, bool isV5, ExecRequest request, Process process, Action<byte[]> sendingStatus)
{
    private const byte StdinChannel = 0;
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte StatusChannel = 3;
    private const byte CloseChannel = 255;

    private readonly SemaphoreSlim sendLock = new(1, 1);

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var firstChannel = request.Stdout ? StdoutChannel : request.Stderr ? StderrChannel : StatusChannel;
        await SendAsync(firstChannel, ReadOnlyMemory<byte>.Empty, cancellationToken);
        if (!request.Stdin)
        {
            process.StandardInput.Close();
        }

        var receiving = ReceiveAsync(cancellationToken);
        var stdout = PumpAsync(process.StandardOutput.BaseStream, request.Stdout ? StdoutChannel : null, cancellationToken);
        var stderr = PumpAsync(process.StandardError.BaseStream, request.Tty ? StdoutChannel : request.Stderr ? StderrChannel : null, cancellationToken);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        if (await Task.WhenAny(exited, receiving) == receiving && !process.HasExited)
        {
            // The client went away: the command does not outlive its session.
            process.Kill(entireProcessTree: true);
        }

        await exited;
        await Task.WhenAll(stdout, stderr);
        if (socket.State == WebSocketState.Open)
        {
            var status = StatusPayload(process.ExitCode);
            sendingStatus(status);
            await SendAsync(StatusChannel, status, cancellationToken);
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken);
        }

        try
        {
            await receiving.WaitAsync(CloseHandshakeTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            socket.Abort();
        }
    }

    /// <summary>The v4 status the kubelet writes: Success, or NonZeroExitCode with an ExitCode cause.</summary>
    private byte[] StatusPayload(int exitCode)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            if (exitCode == 0)
            {
                writer.WriteString("status", "Success");
            }
            else
            {
                writer.WriteString("status", "Failure");
                writer.WriteString("message", $"command terminated with non-zero exit code: error executing command [{string.Join(' ', request.Command)}], exit code {exitCode}");
                writer.WriteString("reason", "NonZeroExitCode");
                writer.WriteStartObject("details");
                writer.WriteStartArray("causes");
                writer.WriteStartObject();
                writer.WriteString("reason", "ExitCode");
                writer.WriteString("message", (exitCode & 0xFF).ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task PumpAsync(Stream output, byte? channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int read;
        while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (channel is { } target && socket.State == WebSocketState.Open)
            {
                await SendAsync(target, buffer.AsMemory(0, read), cancellationToken);
            }
        }
    }

    /// <summary>Reads client frames until the client closes: stdin data, stdin close (v5), resize (ignored: no terminal).</summary>
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = message.ToArray();
                message.SetLength(0);
                if (frame.Length >= 1 && frame[0] == StdinChannel && request.Stdin && frame.Length > 1)
                {
                    await WriteStdinAsync(frame.AsMemory(1));
                }
                else if (isV5 && frame.Length >= 2 && frame[0] == CloseChannel && frame[1] == StdinChannel)
                {
                    process.StandardInput.Close();
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            // The connection broke; the session ends like a close.
        }
    }

    private async Task WriteStdinAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(data);
            await process.StandardInput.BaseStream.FlushAsync();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The command closed its input or ended; like a pipe, further input is dropped.
        }
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame.AsMemory(1));
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }
}
