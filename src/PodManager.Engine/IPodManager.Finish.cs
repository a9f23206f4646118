namespace PodManager.Engine;

public partial interface IPodManager
{
    /// <summary>Applies a finish action on a fresh read of the pod (the operator's process_pod_deletion); returns whether it deleted the pod.</summary>
    Task<bool> ApplyFinishActionAsync(string ns, string name, OnFinishAction action, int? gracePeriodSeconds, bool wait, CancellationToken cancellationToken, TimeSpan? waitTimeout = null);
}
