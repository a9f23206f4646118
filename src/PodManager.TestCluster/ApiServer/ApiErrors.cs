using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer;

/// <summary>The error Statuses of the real API server (k8s.io/apimachinery/pkg/api/errors), with their messages.</summary>
internal static class ApiErrors
{
    public static ApiException NotFound(string resource, string name, string group = "") =>
        new(new ApiStatus(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", new StatusDetails(name, resource, Group: group)));

    public static ApiException PathNotFound() =>
        new(new ApiStatus(404, "NotFound", "the server could not find the requested resource", new StatusDetails()));

    public static ApiException AlreadyExists(string resource, string name, string group = "") =>
        new(new ApiStatus(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", new StatusDetails(name, resource, Group: group)));

    public static ApiException GeneratedNameTaken(string resource, string name, string group = "") =>
        new(new ApiStatus(
            409,
            "AlreadyExists",
            $"{Qualified(resource, group)} \"{name}\" already exists, the server was not able to generate a unique name for the object",
            new StatusDetails(name, resource, Group: group)));

    public static ApiException Conflict(string resource, string name, string detail, string group = "") =>
        new(new ApiStatus(
            409,
            "Conflict",
            $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {detail}",
            new StatusDetails(name, resource, Group: group)));

    public static ApiException StaleResourceVersion(string resource, string name, string group = "") =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again", group);

    public static ApiException Invalid(string kind, string name, IReadOnlyList<FieldError> errors, string group = "")
    {
        var summary = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var causes = errors.Select(e => new StatusCause(e.Reason, e.Detail, e.Field)).ToList();
        return new(new ApiStatus(422, "Invalid", $"{Qualified(kind, group)} \"{name}\" is invalid: {summary}", new StatusDetails(name, kind, Causes: causes, Group: group)));
    }

    public static ApiException BadRequest(string message) => new(new ApiStatus(400, "BadRequest", message));

    public static ApiException Unauthorized() => new(new ApiStatus(401, "Unauthorized", "Unauthorized"));

    /// <summary>
    /// A refused request, worded as the API server's authorization filter words it (forbiddenMessage in
    /// k8s.io/apiserver/pkg/endpoints/handlers/responsewriters): <c>pods "p" is forbidden: User "u" cannot get resource
    /// "pods/log" in API group "" in the namespace "ns"</c>, or <c>forbidden: User "u" cannot get path "/x"</c>; the
    /// authorizer's reason, when it has one, follows after a colon.
    /// </summary>
    public static ApiException Forbidden(string user, RequestInfo request, string reason = "")
    {
        string detail;
        if (!request.IsResourceRequest)
        {
            detail = $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        }
        else
        {
            var resource = request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}";
            var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
            detail = $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" {scope}";
        }

        if (reason.Length > 0)
        {
            detail = $"{detail}: {reason}";
        }

        return Forbidden(request.IsResourceRequest ? request.Resource : string.Empty, request.ApiGroup, request.Name, detail);
    }

    /// <summary>A 403 as apierrors.NewForbidden builds it: <c>{resource} "{name}" is forbidden: {detail}</c>.</summary>
    public static ApiException Forbidden(string resource, string group, string? name, string detail)
    {
        var qualified = Qualified(resource, group);
        var message = qualified.Length == 0 ? $"forbidden: {detail}"
            : string.IsNullOrEmpty(name) ? $"{qualified} is forbidden: {detail}"
            : $"{qualified} \"{name}\" is forbidden: {detail}";
        return new(new ApiStatus(403, "Forbidden", message, new StatusDetails(name, resource, Group: group)));
    }

    /// <summary>An admission plugin's refusal (admission.NewForbidden): <c>pods "x" is forbidden: REASON</c>.</summary>
    public static ApiException ForbiddenByAdmission(string resource, string name, string reason) =>
        new(new ApiStatus(403, "Forbidden", $"{resource} \"{name}\" is forbidden: {reason}", new StatusDetails(name, resource)));

    public static ApiException NamespaceTerminating(string resource, string name, string namespaceName) =>
        new(new ApiStatus(
            403,
            "Forbidden",
            $"{resource} \"{name}\" is forbidden: unable to create new content in namespace {namespaceName} because it is being terminated",
            new StatusDetails(name, resource)));

    public static ApiException MethodNotAllowed() =>
        new(new ApiStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new StatusDetails()));

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(new ApiStatus(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got {contentType}"));

    public static ApiStatus Expired(string message) => new(410, "Expired", message);

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    /// <summary>A Status for an arbitrary code, with the reason and message the real server uses for it.</summary>
    public static ApiStatus ForCode(int code, string? message = null, int? retryAfterSeconds = null)
    {
        var (reason, defaultMessage) = code switch
        {
            400 => ("BadRequest", "the server rejected our request for an unknown reason"),
            401 => ("Unauthorized", "Unauthorized"),
            403 => ("Forbidden", "forbidden"),
            404 => ("NotFound", "the server could not find the requested resource"),
            405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
            409 => ("Conflict", "the server reported a conflict"),
            410 => ("Expired", "the resource has expired"),
            422 => ("Invalid", "the server rejected our request due to an error in our request"),
            429 => ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
            500 => ("InternalError", "an error on the server has prevented the request from succeeding"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            _ => ("", $"the server responded with the status code {code} but did not return more information"),
        };
        var details = retryAfterSeconds is null ? null : new StatusDetails(RetryAfterSeconds: retryAfterSeconds);
        return new ApiStatus(code, reason, message ?? defaultMessage, details);
    }
}
