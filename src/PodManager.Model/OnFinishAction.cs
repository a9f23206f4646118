namespace PodManager;

/// <summary>What to do with a pod once it has finished (Airflow's OnFinishAction).</summary>
public enum OnFinishAction
{
    /// <summary>Leave the pod, whatever its state.</summary>
    KeepPod,

    /// <summary>Delete the pod, whatever its state (the operator's default).</summary>
    DeletePod,

    /// <summary>Delete the pod only if it succeeded; keep failed pods for inspection.</summary>
    DeleteSucceededPod,

    /// <summary>Delete the pod only while it is still Pending, Running or Unknown (its node stopped reporting), e.g. after a timeout (apache/airflow#49466).</summary>
    DeleteActivePod,
}
