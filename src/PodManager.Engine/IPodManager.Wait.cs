using PodManager.Engine.Running;

namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>
    /// Waits until the pod (or its watched container) has finished, following its log when <see cref="CompletionWait.OnLogLine"/>
    /// is given; a pod that did not succeed comes with its PodFailed error (Wait-KPodCompletion).
    /// </summary>
    Task<PodCompletion> WaitForCompletionAsync(string ns, string name, CompletionWait wait, CancellationToken cancellationToken);
}
