namespace PodManager;

/// <summary>
/// What kind of failure a <see cref="PodManagerException"/> is. The values mirror PowerShell's
/// ErrorCategory names so the cmdlets can map them one to one without the model knowing PowerShell.
/// </summary>
public enum PodManagerErrorCategory
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    AuthenticationError,
    ConnectionError,
    OperationTimeout,
    OperationStopped,
    InvalidOperation,
    InvalidResult,
    ReadError,
    WriteError,
    ResourceUnavailable,
    NotSpecified,
}
