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

    // EmitAllAsync wakes the pipeline thread at most once per this many objects while its reader does not wait.
    private const int OutputBatch = 256;

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
            using var listening = ApiCallListener.Listen(call => Post(() => WriteVerbose(call.ToString())), note => Post(() => WriteVerbose(note)), warning => Post(() => WriteWarning(warning)));
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

    /// <summary>Queues an action for the pipeline thread; safe from any thread. Objects emitted before it are written before it.</summary>
    protected void Post(Action action)
    {
        FlushOutput();
        Enqueue(action);
    }

    private void Enqueue(Action action)
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
        FlushOutput();
    }

    /// <summary>
    /// Sends every object of <paramref name="values"/> down the pipeline, as <see cref="EmitAsync"/> does one. Waking the
    /// pipeline thread for each object costs two thread switches, several times what a log line costs to read, so the
    /// objects a reader has at hand go in batches: the pipeline thread is woken when the reader is about to wait (for
    /// the server), after <see cref="OutputBatch"/> objects, when the output is full, and at the end.
    /// </summary>
    protected async Task EmitAllAsync<T>(IAsyncEnumerable<T> values, Func<T, object> select, CancellationToken cancellationToken)
    {
        var reader = values.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var next = reader.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    FlushOutput();
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                var value = select(reader.Current);
                if (!output.Writer.TryWrite(value))
                {
                    FlushOutput();
                    await output.Writer.WriteAsync(value, cancellationToken).ConfigureAwait(false);
                }
                else if (output.Reader.Count >= OutputBatch)
                {
                    FlushOutput();
                }
            }
        }
        finally
        {
            FlushOutput();
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));

    protected void EmitWarning(string message) => Post(() => WriteWarning(message));

    protected void EmitError(PodManagerException error, object? target) => Post(() => WriteError(ErrorRecords.From(error, target)));

    /// <summary>A log line of -ShowLogs, to the stream -LogStream chose (<see cref="LogLines"/>).</summary>
    protected void EmitLogLine(KPodLogLine line, LogStream stream) => Post(() => LogLines.Write(this, line, stream));

    /// <summary>
    /// Runs a wait on one pod under a progress bar (<see cref="PodProgress"/>): <paramref name="wait"/> reports the pod's
    /// states to it from any thread, and the bar is completed however the wait ends. With <paramref name="batch"/>, the
    /// bar is one of the batch's, under its overall bar once it shows one.
    /// </summary>
    private protected async Task WithProgressAsync(string activity, string podText, Func<IProgress<KPod>, Task> wait, BatchProgress? batch = null)
    {
        var progress = new PodProgress(activity, podText, batch);
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

    /// <summary>Has the pipeline thread write what is in the output, unless it is already asked to.</summary>
    private void FlushOutput()
    {
        if (output.Reader.Count > 0 && Interlocked.Exchange(ref drainPosted, 1) == 0)
        {
            Enqueue(DrainOutput);
        }
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
