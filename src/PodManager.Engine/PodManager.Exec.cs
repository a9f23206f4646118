using System.Text;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    /// <summary>Runs a command in a running container and returns its exit code and output; <paramref name="stdin"/> is sent, then closed.</summary>
    public async Task<KExecResult> ExecAsync(string ns, string name, string? container, IReadOnlyList<string> command, string? stdin, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            throw new PodManagerException("InvalidParameterValue", PodManagerErrorCategory.InvalidArgument,
                "The command is empty. Give the program and its arguments, e.g. -Command 'sh', '-c', 'ls /'.");
        }

        var target = container;
        if (target is null)
        {
            var pod = await ReadPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
            target = ContainerHelpers.BaseContainerName(pod) ?? throw PodNotFound(ns, name);
        }

        try
        {
            return await executor.ExecAsync(ns, name, target, command, stdin is null ? null : Encoding.UTF8.GetBytes(stdin), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or PodManagerException))
        {
            throw Translate(e, $"running '{string.Join(' ', command)}' in container '{target}' of pod {ns}/{name}", "PodNotFound");
        }
    }
}
