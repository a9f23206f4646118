namespace PodManager;

/// <summary>
/// Every failure PodManager reports. <see cref="ErrorId"/> is stable (PodNotFound, PodLaunchFailed,
/// Unauthorized ...) so scripts can branch on it; messages never contain credentials.
/// </summary>
public class PodManagerException : Exception
{
    /// <param name="id">The catalog's entry (<see cref="ErrorIds"/>), which brings its category.</param>
    public PodManagerException(ErrorId id, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = id.Name;
        Category = id.Category;
    }

    /// <summary>The error id, one of <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    public PodManagerErrorCategory Category { get; }

    /// <summary>The pod the error is about, when there is one; the cmdlets use it as the error's target object.</summary>
    public KPod? Pod { get; init; }

    /// <summary>Why the pod failed, for PodLaunchFailed, PodLaunchTimeout and PodFailed.</summary>
    public KPodDiagnosis? Diagnosis { get; init; }

    /// <summary>The HTTP status code the API server answered with, when the error came from it.</summary>
    public int? StatusCode { get; init; }

    /// <summary>
    /// True when nothing else can succeed either (no kubeconfig, unreachable cluster, rejected credentials):
    /// the cmdlets then stop the pipeline instead of repeating the same error for every input object.
    /// </summary>
    public bool IsFatal { get; init; }
}
