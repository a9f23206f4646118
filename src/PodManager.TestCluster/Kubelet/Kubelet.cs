using k8s.Models;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// The node agent: watches the pods bound to the node, gives each a <see cref="PodWorker"/>, and forwards
/// deletions (graceful when the pod carries a deletionTimestamp, immediate when the pod is already gone).
/// </summary>
internal sealed class Kubelet : IAsyncDisposable
{
    private readonly KubeletContext context;
    private readonly Lock gate = new();
    private readonly Dictionary<string, PodWorker> workers = [];
    private readonly List<Task> terminations = [];
    private readonly CancellationTokenSource shutdown = new();
    private Task loop = Task.CompletedTask;

    public Kubelet(KubeletContext context) => this.context = context;

    public void Start()
    {
        var watch = context.Cluster.Pods.Watch(null, null, int.MaxValue);
        loop = Task.Run(() => RunAsync(watch, shutdown.Token));
    }

    public PodWorker? FindWorker(string uid)
    {
        lock (gate)
        {
            return workers.GetValueOrDefault(uid);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await shutdown.CancelAsync();
        await loop;
        List<PodWorker> workers;
        lock (gate)
        {
            workers = this.workers.Values.ToList();
        }

        await Task.WhenAll(workers.Select(w => w.KillAsync()));
        Task[] pending;
        lock (gate)
        {
            pending = terminations.ToArray();
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
        if (pod.Spec.NodeName != context.Node.Name)
        {
            return;
        }

        var uid = pod.Metadata.Uid;
        PodWorker? worker;
        lock (gate)
        {
            worker = workers.GetValueOrDefault(uid);
            if (worker is null && change.Type != StoreEventType.Deleted)
            {
                worker = new PodWorker(pod, context, Forget);
                workers[uid] = worker;
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
        else
        {
            worker.UpdateActiveDeadline(pod.Spec.ActiveDeadlineSeconds);
        }
    }

    private void Track(Task termination)
    {
        lock (gate)
        {
            terminations.RemoveAll(t => t.IsCompleted);
            terminations.Add(termination);
        }
    }

    private void Forget(PodWorker worker)
    {
        lock (gate)
        {
            workers.Remove(worker.Uid);
        }
    }
}
