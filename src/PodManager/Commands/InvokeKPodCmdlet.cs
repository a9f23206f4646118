using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Commands.Pipeline;
using PodManager.Engine.Running;

namespace PodManager.Commands;

/// <summary>
/// The whole operator in one call: create (or reattach), wait for the start, wait for completion, read the
/// XCom result and apply the finish action. Runs every piped pod spec, up to -ThrottleLimit at once on the
/// shared watch, under one overall progress bar, and outputs one <see cref="KPodResult"/> per pod as each finishes
/// (in input order with -PreserveOrder), saying which input it came from. Ctrl+C deletes the pods it created, unless
/// -OnFinishAction KeepPod.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet, HelpUri = HelpLinks.Base + "Invoke-KPod.md")]
[OutputType(typeof(KPodResult))]
public sealed class InvokeKPodCmdlet : PodCreationCmdlet
{
    private readonly List<Task> running = [];
    private BatchProgress batch = null!;
    private InputOrder order = null!;
    private int inputs;

    // Set on the pipeline thread once two runs overlap; read by the runs' log lines from any thread.
    private volatile bool prefixLogs;

    /// <summary>How long the pod may wait for a node; 120 s by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? ScheduleTimeout { get; set; }

    /// <summary>How long a scheduled pod may take to start; 120 s by default.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? StartupTimeout { get; set; }

    /// <summary>How long the pod may run once started; by default as long as it runs.</summary>
    [Parameter]
    [TimeSpanTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>What to do with the pod at the end; DeletePod by default, as the Airflow operator.</summary>
    [Parameter]
    public OnFinishAction OnFinishAction { get; set; } = OnFinishAction.DeletePod;

    /// <summary>Show the base container's log while it runs, each line once: in the console and the Information stream (6) by default.</summary>
    [Parameter]
    public SwitchParameter ShowLogs { get; set; }

    /// <summary>With -ShowLogs: Information (the default), Verbose or Output, for hosts that drop the Information stream.</summary>
    [Parameter]
    public LogStream LogStream { get; set; } = LogStream.Information;

    /// <summary>How many of the base container's last log lines each result keeps (LastLogLines); 20 by default, 0 keeps none.</summary>
    [Parameter]
    [ValidateRange(0, 10_000)]
    public int LastLogLines { get; set; } = PodRunRequest.DefaultLastLogLines;

    /// <summary>A label of this input, copied to its result's Tag; by default the -Name given. Bound by property name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    /// <summary>Output the results in input order rather than as the pods finish.</summary>
    [Parameter]
    public SwitchParameter PreserveOrder { get; set; }

    /// <summary>How many pods run at once; the rest wait for a slot.</summary>
    [Parameter]
    [ValidateRange(1, 10_000)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>Read the result from the base container's termination message (no sidecar needed).</summary>
    [Parameter]
    public SwitchParameter FromTerminationMessage { get; set; }

    /// <summary>Objects become hashtables in the results' XCom, as ConvertFrom-Json -AsHashtable.</summary>
    [Parameter]
    public SwitchParameter AsHashtable { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        batch = new BatchProgress("Invoke-KPod");
        order = new InputOrder(PreserveOrder);
    }

    protected override void ProcessRecord()
    {
        var index = inputs++;
        var invalid = Validation.NegativeDuration(ScheduleTimeout, nameof(ScheduleTimeout))
            ?? Validation.NegativeDuration(StartupTimeout, nameof(StartupTimeout))
            ?? Validation.NonPositiveDuration(Timeout, nameof(Timeout), "Leave it out to wait as long as the pod runs.");
        if (invalid is not null)
        {
            Report(invalid, Name ?? Image);
            return;
        }

        if (!TryBuildPod(out var pod, out var sidecar))
        {
            return;
        }

        var ns = NamespaceFor(pod);
        if (ns is null || !ShouldProcess(Describe(pod, ns), "Run"))
        {
            return;
        }

        pod.Namespace = ns;

        // Wait for a free slot, writing what finished runs produced meanwhile.
        while (running.Count >= ThrottleLimit)
        {
            DrainUntil(Task.WhenAny(running));
            Reap();
        }

        var request = new PodRunRequest
        {
            Pod = pod,
            RunKey = RunKey,
            XCom = XCom,
            XComSidecar = sidecar,
            XComFromTerminationMessage = FromTerminationMessage,
            ScheduleTimeout = ScheduleTimeout,
            StartupTimeout = StartupTimeout,
            Timeout = Timeout,
            FinishAction = OnFinishAction,
            LastLogLines = LastLogLines,
        };

        // Lines of pods that run at the same time interleave: from then on each says whose it is.
        prefixLogs |= running.Any(t => !t.IsCompleted);
        order.Started(index);
        WriteBatchProgress(batch.Started(index));
        var tag = Tag ?? Name;
        running.Add(Start(token => RunOneAsync(index, tag, request, token)));
    }

    protected override void EndProcessing()
    {
        DrainUntil(Task.WhenAll(running));
        Reap();
        WriteBatchProgress(batch.Completed());
    }

    private Task RunOneAsync(int index, string? tag, PodRunRequest request, CancellationToken token)
    {
        var manager = DefaultManager();
        var podText = $"{request.Pod.Namespace}/{request.Pod.Name}";
        return WithProgressAsync("Running pod", podText, async progress =>
        {
            PodRunOutcome outcome;
            try
            {
                outcome = await manager.RunPodAsync(request with
                {
                    OnStateChange = pod =>
                    {
                        progress.Report(pod);
                        Post(() => WriteBatchProgress(batch.Observed(index, pod)));
                    },
                    OnLogLine = ShowLogs ? line => EmitLogLine(prefixLogs ? LogLines.WithPrefix(line) : line, LogStream) : null,
                    OnWarning = EmitWarning,
                }, token).ConfigureAwait(false);
            }
            catch (PodManagerException error) when (!error.IsFatal)
            {
                // No pod came of this input (refused, or its create failed): its error takes the place of its result.
                Post(() => Finish(index, succeeded: false, () => WriteError(ErrorRecords.From(error, podText))));
                return;
            }

            var result = outcome.Result;
            result.InputIndex = index;
            result.Tag = tag;
            Post(() =>
            {
                if (result.XComJson is { } json)
                {
                    result.XCom = JsonConversion.FromJson(this, json, AsHashtable);
                }

                Finish(index, outcome.Failure is null, () =>
                {
                    WriteObject(result);
                    if (outcome.Failure is { } failure)
                    {
                        WriteError(ErrorRecords.From(failure, result.Pod));
                    }
                });
            });
        }, batch);
    }

    private void Finish(int index, bool succeeded, Action write)
    {
        WriteBatchProgress(batch.Finished(index, succeeded));
        order.Finished(index, write);
    }

    private void WriteBatchProgress(ProgressRecord? record)
    {
        if (record is not null)
        {
            WriteProgress(record);
        }
    }

    /// <summary>
    /// Reports how finished runs ended and frees their slots. When one ends the pipeline (Ctrl+C, an
    /// unreachable cluster), the others are cancelled and allowed to clean up their pods before it unwinds.
    /// </summary>
    private void Reap()
    {
        foreach (var finished in running.Where(t => t.IsCompleted).ToList())
        {
            running.Remove(finished);
            try
            {
                Complete(finished, null);
            }
            catch
            {
                CancelWork();
                var rest = Task.WhenAll(running);
                running.Clear();
                DrainUntil(rest.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default));
                throw;
            }
        }
    }
}
