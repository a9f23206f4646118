using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;

namespace PodManager.Engine.Exec;

/// <summary>
/// Runs a command in a container over the exec WebSocket. Speaks v5 (so stdin can be closed and the
/// command sees EOF) and falls back to v4 for older servers; the exit code comes from the Status on channel 3.
/// The upgrade is not an HttpClient request, so it sends the kubeconfig's impersonation itself and reads the
/// credentials again once when the server answers it 401, as every other request does (<see cref="Api.ApiCallHandler"/>).
/// </summary>
internal sealed class PodExecutor(Kubernetes client, Api.RawApi raw, Resilience.RetryPolicy retry, Connections.ClientIdentity identity)
{
    private const int ChunkSize = 32 * 1024;

    public async Task<KExecResult> ExecAsync(string ns, string pod, string container, IReadOnlyList<string> command, byte[]? stdin, CancellationToken cancellationToken)
    {
        // Only connecting is retried: once the command runs, running it again could repeat its effects.
        var (socket, closable) = await retry.ExecuteAsync(token => ConnectAsync(ns, pod, container, command, stdin is not null, token), cancellationToken).ConfigureAwait(false);
        using (socket)
        {
            var reading = ReadAsync(socket, cancellationToken);
            if (stdin is not null)
            {
                await WriteStdInAsync(socket, stdin, closable, cancellationToken).ConfigureAwait(false);
            }

            var (stdout, stdoutIsUtf8, stderr, status) = await reading.ConfigureAwait(false);
            return new KExecResult
            {
                Pod = pod,
                Namespace = ns,
                Container = container,
                ExitCode = ExitCode(status, pod, container),
                StdOut = stdout,
                StdErr = stderr,
                StdOutIsUtf8 = stdoutIsUtf8,
            };
        }
    }

    private async Task<(WebSocket Socket, bool CanCloseStdIn)> ConnectAsync(string ns, string pod, string container, IReadOnlyList<string> command, bool stdin, CancellationToken cancellationToken)
    {
        try
        {
            // The token the upgrade is about to send (the client asks the same source): what a 401 refused, even when
            // another request has read a newer one meanwhile.
            var sent = identity.Refresh is null ? null : await identity.Refresh.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await UpgradeAsync(ns, pod, container, command, stdin, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (Resilience.RetryPolicy.IsRefusedUpgrade(e) && identity.Refresh is not null)
            {
                // The WebSocket client does not say which status refused the upgrade; a source that gives another
                // token than the one sent is worth one more try, as a 401 to any other request is.
                if (await identity.Refresh.RefreshAsync(sent, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw;
                }

                return await UpgradeAsync(ns, pod, container, command, stdin, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WebSocketException e) when (Resilience.RetryPolicy.IsRefusedUpgrade(e))
        {
            // The WebSocket client hides the server's answer; the same request as a plain GET returns it as a Status.
            await ReadRefusalAsync(ns, pod, container, command, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadRefusalAsync(string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var query = string.Concat(command.Select(c => "&command=" + Uri.EscapeDataString(c)));
        var uri = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/exec?container={Uri.EscapeDataString(container)}&stdout=true&stderr=true{query}";
        using var response = await raw.GetAsync(uri, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(WebSocket Socket, bool CanCloseStdIn)> UpgradeAsync(string ns, string pod, string container, IReadOnlyList<string> command, bool stdin, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: true, stdin: stdin, stdout: true, tty: false,
                webSocketSubProtocol: ExecChannels.V5, customHeaders: identity.ImpersonationHeaders(), cancellationToken: cancellationToken).ConfigureAwait(false), true);
        }
        catch (WebSocketException e) when (e.WebSocketErrorCode is WebSocketError.UnsupportedProtocol or WebSocketError.HeaderError || e.Message.Contains("protocol", StringComparison.OrdinalIgnoreCase))
        {
            // A server before v5 (Kubernetes < 1.30) refuses the subprotocol; v4 works, without stdin EOF.
            return (await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container, stderr: true, stdin: stdin, stdout: true, tty: false,
                webSocketSubProtocol: ExecChannels.V4, customHeaders: identity.ImpersonationHeaders(), cancellationToken: cancellationToken).ConfigureAwait(false), false);
        }
    }

    private static async Task WriteStdInAsync(WebSocket socket, byte[] data, bool closable, CancellationToken cancellationToken)
    {
        var frame = new byte[ChunkSize + 1];
        frame[0] = ExecChannels.StdIn;
        for (var offset = 0; offset < data.Length; offset += ChunkSize)
        {
            var length = Math.Min(ChunkSize, data.Length - offset);
            Buffer.BlockCopy(data, offset, frame, 1, length);
            await socket.SendAsync(frame.AsMemory(0, length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }

        if (closable)
        {
            await socket.SendAsync(new byte[] { ExecChannels.Close, ExecChannels.StdIn }, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(string StdOut, bool StdOutIsUtf8, string StdErr, string Status)> ReadAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var status = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var frame = message.GetBuffer().AsSpan(0, (int)message.Length);
            if (frame.Length >= 1)
            {
                var target = frame[0] switch
                {
                    ExecChannels.StdOut => stdout,
                    ExecChannels.StdErr => stderr,
                    ExecChannels.Status => status,
                    _ => null,
                };
                target?.Write(frame[1..]);
            }

            message.SetLength(0);
        }

        var output = stdout.ToArray();
        return (Encoding.UTF8.GetString(output), System.Text.Unicode.Utf8.IsValid(output), Encoding.UTF8.GetString(stderr.ToArray()), Encoding.UTF8.GetString(status.ToArray()));
    }

    private static int ExitCode(string statusJson, string pod, string container)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
        {
            return 0;
        }

        var status = KubernetesJson.Deserialize<V1Status>(statusJson);
        if (status.Status == "Success")
        {
            return 0;
        }

        if (status.Reason == "NonZeroExitCode"
            && status.Details?.Causes?.FirstOrDefault(c => c.Reason == "ExitCode")?.Message is { } code
            && int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out var exitCode))
        {
            return exitCode;
        }

        throw new PodManagerException(ErrorIds.ExecFailed,
            $"The command could not run in container '{container}' of pod {pod}: {status.Message ?? status.Reason}. Check that the command exists in the image.");
    }
}
