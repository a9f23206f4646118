using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading.Channels;
using PodManager.Engine.Api;
using PodManager.Engine.Running;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// The bridge between the engine's async work and PowerShell's pipeline thread: work runs on the thread pool, and
/// every Write* happens on the pipeline thread (work posts to a queue, the pipeline thread drains it). Ctrl+C
/// cancels the work's token, and so does SIGTERM (<see cref="TerminationSignal"/>); an engine error becomes an ErrorRecord (<see cref="ErrorRecords"/>).
/// </summary>
public abstract class PipelineCmdlet : PSCmdlet, IDisposable
{
    private static readonly Action Wake = static () => { };

    // Output objects wait here for the pipeline thread; the bound makes a fast reader (a million log lines)
    // wait for a slow pipeline instead of filling memory.
    private const int OutputCapacity = 1024;

    private readonly CancellationTokenSource stopping = new();
    private readonly BlockingCollection<Action> pipelineQueue = [];
    private readonly Channel<object> output = Channel.CreateBounded<object>(new BoundedChannelOptions(OutputCapacity) { SingleReader = true });
    private int drainPosted;

    public void Dispose()
    {
        stopping.Dispose();
        pipelineQueue.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>Cancels all work this cmdlet started, as Ctrl+C would.</summary>
    protected void CancelWork() => stopping.Cancel();

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and pumps its output on the pipeline thread until it ends.
    /// Engine errors become ErrorRecords targeting <paramref name="target"/>; Ctrl+C cancels the work's token.
    /// </summary>
    protected void Run(object? target, Func<CancellationToken, Task> work)
    {
        var running = Start(work);
        DrainUntil(running);
        Complete(running, target);
    }

    /// <summary>Starts work that reports through the queue; the caller drains with <see cref="DrainUntil"/>.</summary>
    protected Task Start(Func<CancellationToken, Task> work)
    {
        var token = stopping.Token;
        var running = Task.Run(async () =>
        {
            using var listening = ApiCallListener.Listen(call => Post(() => WriteVerbose(call.ToString())), note => Post(() => WriteVerbose(note)));
            await work(token).ConfigureAwait(false);
        });
        TerminationSignal.Track(running, stopping);
        return running;
    }

    /// <summary>Runs queued writes on the pipeline thread until <paramref name="task"/> has finished and the queue is empty.</summary>
    protected void DrainUntil(Task task)
    {
        // The wake-up must follow this very task: a combined one (Task.WhenAll) completes only after its parts'
        // continuations have run, so a wake-up posted by a part could arrive before it counts as complete.
        task.ContinueWith(_ => Post(Wake), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (!task.IsCompleted || pipelineQueue.Count > 0)
            {
                pipelineQueue.Take()();
            }
        }
        catch
        {
            // Downstream stopped (Select-Object -First) or a write failed: stop the work before unwinding.
            stopping.Cancel();
            task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).Wait();
            throw;
        }
    }

    /// <summary>Surfaces how finished work ended: Ctrl+C stops the pipeline, engine errors become ErrorRecords.</summary>
    protected void Complete(Task finished, object? target)
    {
        try
        {
            finished.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            if (TerminationSignal.IsTerminating)
            {
                TerminationSignal.Exit();
            }

            throw new PipelineStoppedException();
        }
        catch (PodManagerException error)
        {
            Report(error, target);
        }
    }

    /// <summary>Queues an action for the pipeline thread; safe from any thread.</summary>
    protected void Post(Action action)
    {
        try
        {
            pipelineQueue.Add(action);
        }
        catch (ObjectDisposedException)
        {
            // A late wake-up or message after the cmdlet has ended has nowhere to go.
        }
    }

    /// <summary>
    /// Sends an object down the pipeline from any thread, waiting while the pipeline is <see cref="OutputCapacity"/>
    /// objects behind. Objects keep their order, also relative to errors and messages posted after them.
    /// </summary>
    protected async ValueTask EmitAsync(object value, CancellationToken cancellationToken)
    {
        await output.Writer.WriteAsync(value, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref drainPosted, 1) == 0)
        {
            Post(DrainOutput);
        }
    }

    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));

    protected void EmitWarning(string message) => Post(() => WriteWarning(message));

    protected void EmitError(PodManagerException error, object? target) => Post(() => WriteError(ErrorRecords.From(error, target)));

    /// <summary>A log line of -ShowLogs: to the Information stream, tagged PodManager and Log.</summary>
    protected void EmitLogLine(KPodLogLine line) => Post(() => WriteInformation(line, ["PodManager", "Log"]));

    /// <summary>
    /// Runs a wait on one pod under a progress bar (<see cref="PodProgress"/>): <paramref name="wait"/> reports the pod's
    /// states to it from any thread, and the bar is completed however the wait ends.
    /// </summary>
    protected async Task WithProgressAsync(string activity, string podText, Func<IProgress<KPod>, Task> wait)
    {
        var progress = new PodProgress(activity, podText);
        try
        {
            await wait(new SyncProgress<KPod>(pod => Post(() => WriteProgress(progress.Update(pod))))).ConfigureAwait(false);
        }
        finally
        {
            Post(() => WriteProgress(progress.Completed()));
        }
    }

    /// <summary>A non-terminating error for one input, or a terminating one when no other input can succeed either.</summary>
    protected void Report(PodManagerException error, object? target)
    {
        var record = ErrorRecords.From(error, target);
        if (error.IsFatal)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    private void DrainOutput()
    {
        // Cleared first: an object written after the loop below posts a drain of its own.
        Volatile.Write(ref drainPosted, 0);
        while (output.Reader.TryRead(out var value))
        {
            WriteObject(value);
        }
    }
}
