namespace PodManager.Engine.Running;

/// <summary>
/// A pod a create-or-reattach produced, and whether it came from an earlier run of the same run key rather than
/// being created: a <c>V1Pod</c> inside the engine (<see cref="PodManager.GetOrCreatePodAsync"/>), a <see cref="KPod"/>
/// for the cmdlets (<see cref="IPodManager.CreateOrReattachAsync"/>).
/// </summary>
public sealed record CreatedPod<TPod>(TPod Pod, bool Reattached);
