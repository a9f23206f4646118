using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Logs;

namespace PodManager.Commands;

/// <summary>
/// Outputs a pod's log as <see cref="KPodLogLine"/> objects (strings with -Raw). Several containers are read
/// at once and merged in timestamp order; -Follow streams until the containers end, each line exactly once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KPodLog", DefaultParameterSetName = PodSet, HelpUri = HelpLinks.Base + "Get-KPodLog.md")]
[OutputType(typeof(KPodLogLine), typeof(string))]
public sealed class GetKPodLogCmdlet : PodTargetCmdlet
{
    private int outFileStarted;

    /// <summary>The containers; by default the pod's <c>base</c> container, else its first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string[]? Container { get; set; }

    /// <summary>Every container of the pod, init containers included.</summary>
    [Parameter]
    public SwitchParameter AllContainers { get; set; }

    [Parameter]
    [Alias("f")]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only lines newer than this (seconds, 5m, 1h or a TimeSpan).</summary>
    [Parameter]
    [TimeSpanTransformation(AnyLength = true)]
    public TimeSpan? Since { get; set; }

    /// <summary>Only lines written at or after this time.</summary>
    [Parameter]
    public DateTimeOffset? SinceTime { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>The previous run of a restarted container.</summary>
    [Parameter]
    [Alias("p")]
    public SwitchParameter Previous { get; set; }

    /// <summary>Start each line's text with its RFC3339Nano timestamp, as kubectl logs --timestamps.</summary>
    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    /// <summary>Output plain strings instead of objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Write the log to this file, as kubectl logs prints it, streaming bytes (no object per line); outputs nothing.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    protected override void ProcessRecord()
    {
        var invalid = Validation.NonPositiveDuration(Since, nameof(Since), "Give how far back to read, e.g. -Since 10m.")
            ?? (OutFile is not null && (AllContainers || Container is { Length: > 1 })
                ? new PodManagerException(ErrorIds.InvalidParameterValue, "-OutFile writes one container's log. Give one -Container, or leave -OutFile out to read several containers merged.")
                : null);
        if (Rejects(invalid))
        {
            return;
        }

        var request = new LogRequest
        {
            Follow = Follow,
            Since = Since,
            SinceTime = SinceTime,
            TailLines = Tail,
            Previous = Previous,
            Timestamps = Timestamps,
        };
        ForEachTarget((pod, token) => OutFile is null ? EmitLinesAsync(pod, request, token) : CopyToFileAsync(pod, request, token));
    }

    private async Task EmitLinesAsync(PodTarget pod, LogRequest request, CancellationToken token)
    {
        var (manager, ns, name) = pod.Resolve();
        IReadOnlyList<string>? containers = AllContainers
            ? await manager.GetContainerNamesAsync(ns, name, token).ConfigureAwait(false)
            : Container;
        var lines = containers is { Count: > 0 }
            ? manager.ReadPodLogsAsync(ns, name, containers, request, token)
            : manager.ReadPodLogsAsync(ns, name, request, token);
        await EmitAllAsync(lines, line => Raw ? line.ToString() : line, token).ConfigureAwait(false);
    }

    private async Task CopyToFileAsync(PodTarget pod, LogRequest request, CancellationToken token)
    {
        var path = GetUnresolvedProviderPathFromPSPath(OutFile);
        var (manager, ns, name) = pod.Resolve();

        // The first pod of the call starts the file; the logs of further pods (piped, or matched by a wildcard) follow it.
        var mode = Interlocked.Exchange(ref outFileStarted, 1) == 0 ? FileMode.Create : FileMode.Append;
        await using var file = OpenOutFile(path, mode);
        var lines = await manager.CopyPodLogAsync(ns, name, request with { Container = Container?.FirstOrDefault() }, file, token).ConfigureAwait(false);
        EmitVerbose($"Wrote {lines} lines of pod {ns}/{name} to {path}.");
    }

    /// <summary>Opens -OutFile, or says which path cannot be written and why, before anything is read.</summary>
    private static FileStream OpenOutFile(string path, FileMode mode)
    {
        try
        {
            return new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                DirectoryNotFoundException => $"its directory '{Path.GetDirectoryName(path)}' does not exist. Create it first (New-Item -ItemType Directory)",
                UnauthorizedAccessException => "it or its directory is not writable. Give a path you can write to",
                _ => $"{e.Message} Give a path you can write to",
            };
            throw new PodManagerException(ErrorIds.OutFileNotWritable, $"-OutFile '{path}' cannot be written: {why}.");
        }
    }
}
