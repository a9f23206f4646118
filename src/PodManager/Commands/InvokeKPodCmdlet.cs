using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Engine.Running;

namespace PodManager.Commands;

/// <summary>
/// The whole operator in one call: create (or reattach), wait for the start, wait for completion, read the
/// XCom result and apply the finish action. Runs every piped pod spec, up to -ThrottleLimit at once on the
/// shared watch, and outputs one <see cref="KPodResult"/> per pod as each finishes. Ctrl+C deletes the pods
/// it created, unless -OnFinishAction KeepPod.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet)]
[OutputType(typeof(KPodResult))]
public sealed class InvokeKPodCmdlet : PodCreationCmdlet
{
    private readonly List<Task> running = [];

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

    /// <summary>Stream the base container's log to the Information stream (6) while it runs.</summary>
    [Parameter]
    public SwitchParameter ShowLogs { get; set; }

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

    protected override void ProcessRecord()
    {
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
        };
        running.Add(Start(token => RunOneAsync(request, token)));
    }

    protected override void EndProcessing()
    {
        DrainUntil(Task.WhenAll(running));
        Reap();
    }

    private Task RunOneAsync(PodRunRequest request, CancellationToken token)
    {
        var manager = DefaultManager();
        return WithProgressAsync("Running pod", $"{request.Pod.Namespace}/{request.Pod.Name}", async progress =>
        {
            var outcome = await manager.RunPodAsync(request with
            {
                OnStateChange = progress.Report,
                OnLogLine = ShowLogs ? EmitLogLine : null,
                OnWarning = EmitWarning,
            }, token).ConfigureAwait(false);

            var result = outcome.Result;
            Post(() =>
            {
                if (result.XComJson is { } json)
                {
                    result.XCom = JsonConversion.FromJson(this, json, AsHashtable);
                }

                WriteObject(result);
            });
            if (outcome.Failure is { } failure)
            {
                EmitError(failure, result.Pod);
            }
        });
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
