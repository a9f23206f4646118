using System.Collections.Concurrent;
using System.Diagnostics;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// Starts container processes from a few long-lived threads. Each container is started with a parent-death
/// signal (<c>setpriv --pdeathsig KILL</c>), and Linux sends that signal when the *thread* that forked the child
/// ends, not the process; a thread-pool thread may retire at any time, these live as long as the cluster. So a
/// cluster that dies without cleaning up (SIGKILL, a crashed test host) takes its containers with it. Several
/// threads, so that a start held up on a busy machine does not queue the others behind it.
/// </summary>
internal sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> requests = [];
    private readonly List<Thread> threads;

    public ProcessLauncher(int threads = 4)
    {
        this.threads = Enumerable.Range(0, threads).Select(i => new Thread(Run) { IsBackground = true, Name = $"Test cluster process launcher {i}" }).ToList();
        this.threads.ForEach(thread => thread.Start());
    }

    public Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        requests.Add((startInfo, started));
        return started.Task;
    }

    /// <summary>Ends the threads; call it once every process they started is gone.</summary>
    public void Dispose()
    {
        requests.CompleteAdding();
        threads.ForEach(thread => thread.Join());
        requests.Dispose();
    }

    private void Run()
    {
        foreach (var (startInfo, started) in requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start"));
            }
            catch (Exception error)
            {
                started.SetException(error);
            }
        }
    }
}
