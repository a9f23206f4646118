using PodManager.Engine.XCom;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>Waits for the base container to finish, then reads the result from the sidecar or the termination message (Get-KPodXCom).</summary>
    Task<XComResult> ReadResultAsync(string ns, string name, bool fromTerminationMessage, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Reads the result from the XCom sidecar, then stops it (the seed's extract_xcom).</summary>
    Task<XComResult> ExtractXComAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Stops the XCom sidecar (the seed's extract_xcom_kill).</summary>
    Task ExtractXComKillAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Reads the result from a terminated container's termination message (no sidecar).</summary>
    Task<XComResult> ReadXComFromTerminationMessageAsync(string ns, string name, CancellationToken cancellationToken, string? container = null);
}
