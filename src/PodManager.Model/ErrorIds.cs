using System.Reflection;

namespace PodManager;

/// <summary>
/// Every error id PodManager raises, each with the one category it is raised with. The ids are a published
/// contract: scripts branch on them (<c>$_.Exception.ErrorId -eq 'PodFailed'</c>), they open every
/// FullyQualifiedErrorId, and about_PodManager documents each one (a test checks that both ways against this
/// class). A <see cref="PodManagerException"/> can only be made from an entry of this catalog, so an id cannot be
/// raised unlisted, or with another category than the one documented.
/// </summary>
public static class ErrorIds
{
    public static readonly ErrorId AlreadyExists = new(nameof(AlreadyExists), PodManagerErrorCategory.ResourceExists);
    public static readonly ErrorId ApiError = new(nameof(ApiError), PodManagerErrorCategory.NotSpecified);
    public static readonly ErrorId ApiTimeout = new(nameof(ApiTimeout), PodManagerErrorCategory.OperationTimeout);
    public static readonly ErrorId ApiUnavailable = new(nameof(ApiUnavailable), PodManagerErrorCategory.ResourceUnavailable);
    public static readonly ErrorId BadRequest = new(nameof(BadRequest), PodManagerErrorCategory.InvalidArgument);
    public static readonly ErrorId CertificateRejected = new(nameof(CertificateRejected), PodManagerErrorCategory.AuthenticationError);
    public static readonly ErrorId ClusterUnreachable = new(nameof(ClusterUnreachable), PodManagerErrorCategory.ConnectionError);
    public static readonly ErrorId CommandFailed = new(nameof(CommandFailed), PodManagerErrorCategory.InvalidResult);
    public static readonly ErrorId Conflict = new(nameof(Conflict), PodManagerErrorCategory.ResourceExists);
    public static readonly ErrorId ConnectionNotAvailable = new(nameof(ConnectionNotAvailable), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId ConnectionNotInherited = new(nameof(ConnectionNotInherited), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId ContainerNotFound = new(nameof(ContainerNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId ContainerNotRunning = new(nameof(ContainerNotRunning), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId ContainerStartTimeout = new(nameof(ContainerStartTimeout), PodManagerErrorCategory.OperationTimeout);
    public static readonly ErrorId ContextNotFound = new(nameof(ContextNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId ExecFailed = new(nameof(ExecFailed), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId ExecRefused = new(nameof(ExecRefused), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId Forbidden = new(nameof(Forbidden), PodManagerErrorCategory.PermissionDenied);
    public static readonly ErrorId InvalidCertificateAuthority = new(nameof(InvalidCertificateAuthority), PodManagerErrorCategory.InvalidData);
    public static readonly ErrorId InvalidKubeConfig = new(nameof(InvalidKubeConfig), PodManagerErrorCategory.InvalidData);
    public static readonly ErrorId InvalidManifest = new(nameof(InvalidManifest), PodManagerErrorCategory.InvalidData);
    public static readonly ErrorId InvalidParameterValue = new(nameof(InvalidParameterValue), PodManagerErrorCategory.InvalidArgument);
    public static readonly ErrorId InvalidPodSpec = new(nameof(InvalidPodSpec), PodManagerErrorCategory.InvalidArgument);
    public static readonly ErrorId KubeConfigNotFound = new(nameof(KubeConfigNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId ManifestConflict = new(nameof(ManifestConflict), PodManagerErrorCategory.InvalidArgument);
    public static readonly ErrorId ManifestNotFound = new(nameof(ManifestNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId MultipleRunPods = new(nameof(MultipleRunPods), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId NamespaceNotFound = new(nameof(NamespaceNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId NotFound = new(nameof(NotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId NotInCluster = new(nameof(NotInCluster), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId OutFileNotWritable = new(nameof(OutFileNotWritable), PodManagerErrorCategory.WriteError);
    public static readonly ErrorId PodCompletionTimeout = new(nameof(PodCompletionTimeout), PodManagerErrorCategory.OperationTimeout);
    public static readonly ErrorId PodDeleteTimeout = new(nameof(PodDeleteTimeout), PodManagerErrorCategory.OperationTimeout);
    public static readonly ErrorId PodFailed = new(nameof(PodFailed), PodManagerErrorCategory.InvalidResult);
    public static readonly ErrorId PodLaunchFailed = new(nameof(PodLaunchFailed), PodManagerErrorCategory.ResourceUnavailable);
    public static readonly ErrorId PodLaunchTimeout = new(nameof(PodLaunchTimeout), PodManagerErrorCategory.OperationTimeout);
    public static readonly ErrorId PodNotFound = new(nameof(PodNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId PodSecurityViolation = new(nameof(PodSecurityViolation), PodManagerErrorCategory.PermissionDenied);
    public static readonly ErrorId Unauthorized = new(nameof(Unauthorized), PodManagerErrorCategory.AuthenticationError);
    public static readonly ErrorId UnexpectedError = new(nameof(UnexpectedError), PodManagerErrorCategory.NotSpecified);
    public static readonly ErrorId XComInvalidJson = new(nameof(XComInvalidJson), PodManagerErrorCategory.InvalidData);
    public static readonly ErrorId XComKillFailed = new(nameof(XComKillFailed), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId XComNotFound = new(nameof(XComNotFound), PodManagerErrorCategory.ObjectNotFound);
    public static readonly ErrorId XComNotReady = new(nameof(XComNotReady), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId XComRetrievalFailed = new(nameof(XComRetrievalFailed), PodManagerErrorCategory.ReadError);
    public static readonly ErrorId XComSidecarTerminated = new(nameof(XComSidecarTerminated), PodManagerErrorCategory.InvalidOperation);
    public static readonly ErrorId XComSidecarTimeout = new(nameof(XComSidecarTimeout), PodManagerErrorCategory.OperationTimeout);

    /// <summary>Every entry of the catalog, ordered by id.</summary>
    public static IReadOnlyList<ErrorId> All { get; } = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorId))
        .Select(f => (ErrorId)f.GetValue(null)!)
        .OrderBy(id => id.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The catalog's entry for an id, as <see cref="PodManagerException.ErrorId"/> holds it.</summary>
    /// <exception cref="ArgumentException">The id is not in the catalog.</exception>
    public static ErrorId Of(string id) =>
        All.FirstOrDefault(e => e.Name == id) ?? throw new ArgumentException($"'{id}' is not an error id of PodManager's catalog.", nameof(id));
}
