using System.Management.Automation;
using PodManager.Commands.Parameters;

namespace PodManager.Commands;

/// <summary>
/// Runs a command in a running container (kubectl exec). -InputObject is sent to its stdin, which is then
/// closed. Outputs a <see cref="KExecResult"/>, or only the stdout lines with -Raw; a non-zero exit code
/// also writes a non-terminating CommandFailed error.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KPodCommand", SupportsShouldProcess = true, DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Invoke-KPodCommand.md")]
[OutputType(typeof(KExecResult), typeof(string))]
public sealed class InvokeKPodCommandCmdlet : PodReferenceCmdlet
{
    /// <summary>The piped pod; -InputObject is the command's stdin.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PodSet)]
    public KPod? Pod { get; set; }

    /// <summary>The program and its arguments, one per element: -Command sh, -c, 'ls /data'.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PodSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>Arguments after -Command, one per element, as New-KPod's -Argument: -Command sh -Argument '-c', 'ls /data'.</summary>
    [Parameter]
    [Alias("Arguments", "Args")]
    public string[]? Argument { get; set; }

    /// <summary>The container; by default the pod's base container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? Container { get; set; }

    /// <summary>Lines sent to the command's stdin, each followed by a newline; stdin is closed afterwards.</summary>
    [Parameter]
    public string[]? InputObject { get; set; }

    /// <summary>Output only the stdout lines.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>How long to wait for the container to run (a pod just created, a sidecar still starting); by default the startup timeout, 120 s.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    protected override KPod? PipedPod => Pod;

    protected override void ProcessRecord()
    {
        if (Rejects(Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait up to the startup timeout (120 s).")))
        {
            return;
        }

        if (CommandLines.Warning(Command, withArgumentParameter: true) is { } warning)
        {
            WriteWarning(warning);
        }

        string[] command = [.. Command!, .. Argument ?? []];
        var stdin = InputObject is null ? null : string.Concat(InputObject.Select(line => line + "\n"));
        ForEachTarget((pod, token) => RunAsync(pod, command, stdin, token), $"Run '{string.Join(' ', command)}'");
    }

    private async Task RunAsync(PodTarget pod, string[] command, string? stdin, CancellationToken token)
    {
        var (manager, podNamespace, podName) = pod.Resolve();
        var result = await manager.ExecAsync(podNamespace, podName, Container, command, stdin, Timeout, token).ConfigureAwait(false);
        if (!result.StdOutIsUtf8)
        {
            EmitWarning($"The output of '{string.Join(' ', command)}' in pod {podNamespace}/{podName} is not UTF-8: its bytes that are not became U+FFFD (\uFFFD) in the text. Write the output to a file in the container and copy it (kubectl cp) to keep the bytes.");
        }

        if (Raw)
        {
            var lines = result.StdOut.Length == 0 ? [] : result.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).SkipLast(result.StdOut.EndsWith('\n') ? 1 : 0);
            foreach (var line in lines)
            {
                await EmitAsync(line, token).ConfigureAwait(false);
            }
        }
        else
        {
            await EmitAsync(result, token).ConfigureAwait(false);
        }

        if (result.ExitCode != 0)
        {
            EmitError(new PodManagerException(ErrorIds.CommandFailed,
                $"'{string.Join(' ', command)}' in container '{result.Container}' of pod {podNamespace}/{podName} exited with code {result.ExitCode}.{(string.IsNullOrWhiteSpace(result.StdErr) ? "" : " stderr: " + result.StdErr.Trim())}"), pod.ErrorTarget);
        }
    }
}
