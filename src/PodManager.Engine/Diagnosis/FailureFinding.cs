namespace PodManager.Engine.Diagnosis;

/// <summary>What a look at a pod's status found wrong; <see cref="PodDiagnoser"/> adds events and logs to it.</summary>
internal sealed record FailureFinding(string Reason, string? Message, string? Container = null, int? ExitCode = null, string? TerminationMessage = null)
{
    /// <summary>For CreateContainerConfigError: only fatal once it has lasted a short grace (a ConfigMap may be on its way).</summary>
    public bool NeedsGrace { get; init; }
}
