using System.Net.WebSockets;
using System.Text;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>A hand-driven exec WebSocket, to check the channel protocol itself.</summary>
public sealed class RawExec : IDisposable
{
    private readonly ClientWebSocket socket;
    private readonly HttpClient http;

    private RawExec(ClientWebSocket socket, HttpClient http)
    {
        this.socket = socket;
        this.http = http;
    }

    public string? SubProtocol => socket.SubProtocol;

    public static async Task<RawExec> ConnectAsync(TestClusterServer server, string pathAndQuery, string protocol, TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null)
    {
        LoopbackGuard.RequireLoopback(server.Address.ToString(), "the test cluster");
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        if (keepAlive is { } interval)
        {
            socket.Options.KeepAliveInterval = interval;
            socket.Options.KeepAliveTimeout = keepAliveTimeout ?? TimeSpan.FromSeconds(10);
        }

        // The cluster's HttpClient trusts its CA and sends the token; the WebSocket handshake goes through it.
        var http = server.CreateHttpClient();
        var uri = new Uri(new Uri(server.Address.ToString().Replace("https://", "wss://", StringComparison.Ordinal)), pathAndQuery);
        await socket.ConnectAsync(uri, http, CancellationToken.None);
        return new RawExec(socket, http);
    }

    public Task SendAsync(byte channel, string text) => SendAsync([channel, .. Encoding.UTF8.GetBytes(text)]);

    public Task SendAsync(byte[] frame) => socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Every frame until the server closes, and the close status.</summary>
    public async Task<(List<byte[]> Frames, WebSocketCloseStatus? Close)> ReadAllAsync(CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken);
                return (frames, result.CloseStatus);
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add(message.ToArray());
                message.SetLength(0);
            }
        }
    }

    public static string Text(IEnumerable<byte[]> frames, byte channel) =>
        string.Concat(frames.Where(f => f.Length > 0 && f[0] == channel).Select(f => Encoding.UTF8.GetString(f, 1, f.Length - 1)));

    public void Dispose()
    {
        socket.Dispose();
        http.Dispose();
    }
}
