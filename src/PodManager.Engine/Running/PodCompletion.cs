namespace PodManager.Engine.Running;

/// <summary>A finished pod, and the PodFailed error to report after it when it did not succeed.</summary>
public sealed record PodCompletion(KPod Pod, PodManagerException? Failure);
