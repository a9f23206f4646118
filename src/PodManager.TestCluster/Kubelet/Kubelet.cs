using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// The node agent: watches the pods bound to the node, gives each a <see cref="PodWorker"/>, and forwards
/// deletions (graceful when the pod carries a deletionTimestamp, immediate when the pod is already gone).
/// </summary>
internal sealed class Kubelet : IAsyncDisposable
{
    private readonly KubeletContext _context;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PodWorker> _workers = [];
    private readonly List<Task> _terminations = [];
    private readonly CancellationTokenSource _shutdown = new();
    private Task _loop = Task.CompletedTask;

    public Kubelet(KubeletContext context) => _context = context;

    public void Start()
    {
        var watch = _context.Cluster.Pods.Watch(null, null, int.MaxValue);
        _loop = Task.Run(() => RunAsync(watch, _shutdown.Token));
    }

    public PodWorker? FindWorker(string uid)
    {
        lock (_gate)
        {
            return _workers.GetValueOrDefault(uid);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        await _loop;
        List<PodWorker> workers;
        lock (_gate)
        {
            workers = _workers.Values.ToList();
        }

        await Task.WhenAll(workers.Select(w => w.KillAsync()));
        Task[] pending;
        lock (_gate)
        {
            pending = _terminations.ToArray();
        }

        await Task.WhenAll(pending);
    }

    private async Task RunAsync(WatchSubscription<V1Pod> watch, CancellationToken cancellationToken)
    {
        using (watch)
        {
            try
            {
                await foreach (var change in watch.Events.ReadAllAsync(cancellationToken))
                {
                    Handle(change);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The cluster is stopping.
            }
        }
    }

    private void Handle(StoreEvent<V1Pod> change)
    {
        var pod = change.Object.Value;
        if (pod.Spec.NodeName != _context.Node.Name)
        {
            return;
        }

        var uid = pod.Metadata.Uid;
        PodWorker? worker;
        lock (_gate)
        {
            worker = _workers.GetValueOrDefault(uid);
            if (worker is null && change.Type != StoreEventType.Deleted)
            {
                worker = new PodWorker(pod, _context, Forget);
                _workers[uid] = worker;
                worker.Start();
            }
        }

        if (worker is null)
        {
            return;
        }

        if (change.Type == StoreEventType.Deleted)
        {
            Track(worker.KillAsync());
        }
        else if (pod.Metadata.DeletionTimestamp is not null)
        {
            worker.RequestDeletion(TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? 0));
        }
    }

    private void Track(Task termination)
    {
        lock (_gate)
        {
            _terminations.RemoveAll(t => t.IsCompleted);
            _terminations.Add(termination);
        }
    }

    private void Forget(PodWorker worker)
    {
        lock (_gate)
        {
            _workers.Remove(worker.Uid);
        }
    }
}
