using System.Collections.Concurrent;
using System.Management.Automation;
using PodManager.Engine;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;
using PodManagerEngine = PodManager.Engine.PodManager;

namespace PodManager.Commands;

/// <summary>
/// What every PodManager cmdlet shares: the connection parameters, cancellation on Ctrl+C, and the
/// bridge that runs engine work off the pipeline thread while every Write* happens on it (work posts
/// to a queue, the pipeline thread drains it), plus the mapping of engine errors to ErrorRecords.
/// </summary>
public abstract class PodManagerCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private BlockingCollection<Action>? pipelineQueue;
    private PodManagerEngine? defaultManager;

    /// <summary>The kubeconfig file; otherwise KUBECONFIG, then ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>The kubeconfig context; otherwise its current-context.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>The engine for an object's own connection, unless -KubeConfig or -Context override it.</summary>
    protected PodManagerEngine ManagerFor(KConnection? connection) =>
        connection is not null && KubeConfig is null && Context is null
            ? PodManagerRegistry.Get(connection)
            : DefaultManager();

    protected PodManagerEngine DefaultManager() =>
        defaultManager ??= PodManagerRegistry.Get(new ConnectionSettings
        {
            KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
            Context = Context,
        });

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and pumps its output on the pipeline thread until it ends.
    /// Engine errors become ErrorRecords targeting <paramref name="target"/>; Ctrl+C cancels the work's token.
    /// </summary>
    protected void Run(object? target, Func<CancellationToken, Task> work)
    {
        using var queue = new BlockingCollection<Action>();
        pipelineQueue = queue;
        var running = Task.Run(async () =>
        {
            using var listening = ApiCallListener.Listen(call => Post(() => WriteVerbose(call.ToString())));
            try
            {
                await work(stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (var action in queue.GetConsumingEnumerable())
            {
                action();
            }
        }
        catch
        {
            // Downstream stopped (Select-Object -First) or a write failed: stop the work before unwinding.
            stopping.Cancel();
            running.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).Wait();
            throw;
        }
        finally
        {
            pipelineQueue = null;
        }

        try
        {
            running.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
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
            pipelineQueue?.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The work already finished; a late message has nowhere to go.
        }
    }

    protected void Emit(object value) => Post(() => WriteObject(value));

    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));

    protected void EmitWarning(string message) => Post(() => WriteWarning(message));

    protected void EmitError(PodManagerException error, object? target) => Post(() => WriteError(ToErrorRecord(error, target)));

    /// <summary>A non-terminating error for one input, or a terminating one when no other input can succeed either.</summary>
    protected void Report(PodManagerException error, object? target)
    {
        var record = ToErrorRecord(error, target);
        if (error.IsFatal)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    protected static ErrorRecord ToErrorRecord(PodManagerException error, object? target) =>
        new(error, error.ErrorId, ErrorCategories.From(error.Category), (object?)error.Pod ?? target);
}
