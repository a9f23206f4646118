using k8s.Models;

namespace PodManager.Engine.Watching;

/// <summary>A pod's state as the informer saw it; <see cref="Deleted"/> means it is gone.</summary>
internal readonly record struct PodSnapshot(V1Pod? Pod, bool Deleted);
