namespace PodManager;

/// <summary>The phase of a pod, as Kubernetes reports it in <c>status.phase</c>.</summary>
/// <remarks>
/// Based on <see cref="long"/> rather than int for one reason: PowerShell's ConvertTo-Json writes 64-bit enums by name
/// (JavaScript numbers cannot hold every Int64), so <c>KPod | ConvertTo-Json</c> says <c>"Phase": "Succeeded"</c>, as
/// the pod's own JSON does, without -EnumsAsStrings.
/// </remarks>
public enum PodPhase : long
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}
