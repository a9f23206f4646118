using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading.Channels;
using PodManager.Engine;
using PodManager.Engine.Api;
using PodManager.Engine.Connections;

namespace PodManager.Commands;

/// <summary>
/// What every PodManager cmdlet shares: the connection parameters, cancellation on Ctrl+C, and the
/// bridge that runs engine work off the pipeline thread while every Write* happens on it (work posts
/// to a queue, the pipeline thread drains it), plus the mapping of engine errors to ErrorRecords.
/// </summary>
public abstract class PodManagerCmdlet : PSCmdlet, IDisposable
{
    private static readonly Action Wake = static () => { };

    // Output objects wait here for the pipeline thread; the bound makes a fast reader (a million log lines)
    // wait for a slow pipeline instead of filling memory.
    private const int OutputCapacity = 1024;

    private readonly CancellationTokenSource stopping = new();
    private readonly BlockingCollection<Action> pipelineQueue = [];
    private readonly Channel<object> output = Channel.CreateBounded<object>(new BoundedChannelOptions(OutputCapacity) { SingleReader = true });
    private int drainPosted;
    private SessionConnection? session;
    private IPodManager? defaultManager;

    /// <summary>The kubeconfig file; otherwise the session's (Connect-KCluster), then KUBECONFIG, then ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>The kubeconfig context; otherwise the session's, then the kubeconfig's current-context.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContextCompleter))]
    public string? Context { get; set; }

    public void Dispose()
    {
        stopping.Dispose();
        pipelineQueue.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void BeginProcessing()
    {
        // Read on the pipeline thread: the session connection belongs to this runspace.
        session = SessionConnection.Current;
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>Cancels all work this cmdlet started, as Ctrl+C would.</summary>
    protected void CancelWork() => stopping.Cancel();

    /// <summary>The engine for an object's own connection, unless -KubeConfig or -Context override it.</summary>
    protected IPodManager ManagerFor(KConnection? connection) =>
        connection is not null && KubeConfig is null && Context is null
            ? PodManagerRegistry.Get(connection)
            : DefaultManager();

    /// <summary>The engine for -KubeConfig/-Context, else the session's connection, else KUBECONFIG or ~/.kube/config.</summary>
    protected IPodManager DefaultManager() => defaultManager ??= PodManagerRegistry.Get(ConnectionSettings());

    /// <summary>The namespace to use when none was given: the session's, else the connection's.</summary>
    protected string DefaultNamespace(IPodManager manager, string? requested) =>
        !string.IsNullOrEmpty(requested) ? requested
        : KubeConfig is null && Context is null && session?.Namespace is { } sessionNamespace ? sessionNamespace
        : manager.Connection.DefaultNamespace;

    /// <summary>
    /// The pods one input record names, for the cmdlets that act on existing pods: a piped KPod (a hashtable or
    /// object converted to one may lack a namespace: it gets the default, as a -Name does), the name in piped
    /// kubectl metadata, or -Name; a name with wildcards is every pod it matches (none is no error, as with
    /// Remove-Item), each a target of its own. What cannot name a pod is reported and yields nothing.
    /// </summary>
    protected IReadOnlyList<PodTarget> PodTargets(KPod? pod, string? name, string? ns, PSObject? metadata)
    {
        if (pod is not null)
        {
            if (string.IsNullOrEmpty(pod.Name))
            {
                Report(NoPodName("The piped object has no Name", "Pipe a KPod (Get-KPod) or an object with a Name property, or give -Name."), pod);
                return [];
            }

            var podNamespace = string.IsNullOrEmpty(ns) ? pod.Namespace : ns;
            var text = string.IsNullOrEmpty(podNamespace) ? pod.Name : $"{podNamespace}/{pod.Name}";
            return [new PodTarget(pod, text, () =>
            {
                var manager = ManagerFor(pod.Connection);
                return (manager, DefaultNamespace(manager, podNamespace), pod.Name);
            })];
        }

        if (metadata is not null)
        {
            name = PodMetadata.Field(metadata, "name");
            ns = PodMetadata.Field(metadata, "namespace");
            if (string.IsNullOrEmpty(name))
            {
                var shown = metadata.BaseObject is string or ValueType ? $"'{metadata}'" : "an object without a name";
                Report(NoPodName($"The piped object's metadata is {shown}, not a pod's metadata with a name",
                    "Pipe pods as kubectl prints them (kubectl get pod NAME -o json | ConvertFrom-Json), or give -Name."), metadata);
                return [];
            }
        }

        if (name is null || !Engine.Pods.PodNamePattern.HasWildcards(name))
        {
            return [new PodTarget(name, string.IsNullOrEmpty(ns) ? name! : $"{ns}/{name}", () =>
            {
                var manager = DefaultManager();
                return (manager, DefaultNamespace(manager, ns), name!);
            })];
        }

        var found = new List<KPod>();
        Run(name, async token =>
        {
            var manager = DefaultManager();
            var where = DefaultNamespace(manager, ns);
            var search = await manager.FindPodsAsync(where, [name!], null, null, token).ConfigureAwait(false);
            found.AddRange(search.Pods);
            if (found.Count == 0)
            {
                EmitVerbose($"No pod in namespace '{where}' matches '{name}'.");
            }
        });
        return found.SelectMany(match => PodTargets(match, null, null, null)).ToList();
    }

    private static PodManagerException NoPodName(string what, string fix) =>
        new(ErrorIds.InvalidParameterValue, $"{what}, so it names no pod. {fix}");

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
        return Task.Run(async () =>
        {
            using var listening = ApiCallListener.Listen(call => Post(() => WriteVerbose(call.ToString())), note => Post(() => WriteVerbose(note)));
            await work(token).ConfigureAwait(false);
        });
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

    protected void EmitError(PodManagerException error, object? target) => Post(() => WriteError(ToErrorRecord(error, target)));

    private void DrainOutput()
    {
        // Cleared first: an object written after the loop below posts a drain of its own.
        Volatile.Write(ref drainPosted, 0);
        while (output.Reader.TryRead(out var value))
        {
            WriteObject(value);
        }
    }

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

    protected static ErrorRecord ToErrorRecord(PodManagerException error, object? target)
    {
        var record = new ErrorRecord(error, error.ErrorId, ErrorCategories.From(error.Category), (object?)error.Pod ?? target);
        if (error.Diagnosis is { } diagnosis)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = diagnosis.RecommendedAction };
        }

        return record;
    }

    private ConnectionSettings ConnectionSettings() =>
        KubeConfig is null && Context is null && session is not null
            ? session.Settings
            : new ConnectionSettings
            {
                KubeConfigPath = KubeConfig is null ? null : GetUnresolvedProviderPathFromPSPath(KubeConfig),
                Context = Context,
            };
}
