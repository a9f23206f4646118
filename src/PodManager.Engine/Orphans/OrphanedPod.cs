namespace PodManager.Engine.Orphans;

/// <summary>A pod PodManager made whose runner is gone, and why it is judged so.</summary>
public sealed record OrphanedPod(KPod Pod, string Reason);
