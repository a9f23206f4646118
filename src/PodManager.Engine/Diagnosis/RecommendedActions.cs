namespace PodManager.Engine.Diagnosis;

/// <summary>
/// What to do about a failure, by its reason: Kubernetes knowledge, so every caller of the engine gets it with the
/// diagnosis (<see cref="KPodDiagnosis.RecommendedAction"/>); the cmdlets show it as the ErrorRecord's RecommendedAction.
/// </summary>
internal static class RecommendedActions
{
    public static string For(string reason) => reason switch
    {
        "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "ErrImageNeverPull" => "Check the image name and tag, and the registry credentials (imagePullSecrets).",
        "CrashLoopBackOff" => "The diagnosis holds the last log lines of the crashed run (Get-KPodLog -Previous shows all of them); fix the command or its inputs.",
        "Error" or "InitContainerFailed" => "The diagnosis holds the container's last log lines (Get-KPodLog shows all of them while the pod exists); fix the command or its inputs.",
        "OOMKilled" => "Raise the container's memory limit (-MemoryLimit) or make it use less memory.",
        "Evicted" => "The node ran short of resources; add requests (-Cpu, -Memory) or retry on another node.",
        "Unschedulable" => "Lower the pod's requests (-Cpu, -Memory, -Resource), fix its -NodeSelector or -Affinity, tolerate the node's taints (-Toleration), or add capacity to the cluster.",
        "DeadlineExceeded" => "The pod ran longer than its activeDeadlineSeconds (-ActiveDeadline); raise the limit, or make the task finish sooner.",
        "CreateContainerConfigError" => "Create the ConfigMap or Secret the pod's environment refers to.",
        _ => "See the pod's events (Get-KPodEvent) and log (Get-KPodLog).",
    };
}
