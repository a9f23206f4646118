using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PodManager.TestCluster.Tests.Infrastructure;

/// <summary>A hand-driven exec WebSocket, to check the channel protocol itself.</summary>
public sealed class RawExec : IDisposable
{
    private readonly ClientWebSocket _socket;

    private RawExec(ClientWebSocket socket) => _socket = socket;

    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<RawExec> ConnectAsync(TestClusterServer server, string pathAndQuery, string protocol, TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null)
    {
        LoopbackGuard.RequireLoopback(server.Address.ToString(), "the test cluster");
        var authority = X509Certificate2.CreateFromPem(server.CertificateAuthorityPem);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.SetRequestHeader("Authorization", $"Bearer {server.Token}");
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        if (keepAlive is { } interval)
        {
            socket.Options.KeepAliveInterval = interval;
            socket.Options.KeepAliveTimeout = keepAliveTimeout ?? TimeSpan.FromSeconds(10);
        }

        var uri = new UriBuilder(server.Address) { Scheme = "wss", Path = pathAndQuery.Split('?')[0], Query = pathAndQuery.Contains('?') ? pathAndQuery.Split('?', 2)[1] : string.Empty }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new RawExec(socket);
    }

    public Task SendAsync(byte channel, string text) => SendAsync([channel, .. Encoding.UTF8.GetBytes(text)]);

    public Task SendAsync(byte[] frame) => _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Every frame until the server closes, and the close status.</summary>
    public async Task<(List<byte[]> Frames, WebSocketCloseStatus? Close)> ReadAllAsync(CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cancellationToken);
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

    public void Dispose() => _socket.Dispose();
}
