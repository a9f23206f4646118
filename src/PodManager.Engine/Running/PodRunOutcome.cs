namespace PodManager.Engine.Running;

/// <summary>A run's result, and the error to report after it when the pod did not succeed.</summary>
public sealed record PodRunOutcome(KPodResult Result, PodManagerException? Failure);
