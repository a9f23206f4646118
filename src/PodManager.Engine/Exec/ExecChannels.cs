namespace PodManager.Engine.Exec;

/// <summary>The channel bytes of the Kubernetes remote-command WebSocket protocol (channel.k8s.io v4/v5).</summary>
internal static class ExecChannels
{
    public const byte StdIn = 0;
    public const byte StdOut = 1;
    public const byte StdErr = 2;
    public const byte Status = 3;
    public const byte Resize = 4;

    /// <summary>v5 only: <c>[255, channel]</c> closes a channel; closing stdin is how the remote command sees EOF.</summary>
    public const byte Close = 255;

    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
}
