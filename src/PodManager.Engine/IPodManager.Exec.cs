namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>Runs a command in a container once it runs, and returns its exit code and output (Invoke-KPodCommand).</summary>
    Task<KExecResult> ExecAsync(string ns, string name, string? container, IReadOnlyList<string> command, string? stdin, TimeSpan? startTimeout, CancellationToken cancellationToken);
}
