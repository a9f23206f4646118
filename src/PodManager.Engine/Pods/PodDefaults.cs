namespace PodManager.Engine.Pods;

/// <summary>Names and values shared with the Airflow operator, so existing images and habits carry over.</summary>
public static class PodDefaults
{
    public const string BaseContainerName = "base";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "PodManager";

    /// <summary>Annotation holding a random token per create, so a create whose response was lost can adopt its own pod.</summary>
    public const string CreationTokenAnnotation = "podmanager.io/creation-token";
}
