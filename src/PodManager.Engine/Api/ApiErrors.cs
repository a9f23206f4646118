using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using PodManager.Engine.Connections;
using PodManager.Engine.Resilience;

namespace PodManager.Engine.Api;

/// <summary>
/// Maps what the API server (or the network) said into a <see cref="PodManagerException"/> with a
/// specific error id, a category and a message that says what failed and what to do about it.
/// </summary>
internal static class ApiErrors
{
    /// <param name="action">What we were doing, as a gerund phrase: "reading pod default/web".</param>
    /// <param name="notFound">The error id a 404 means in this context (PodNotFound, NamespaceNotFound ...); NotFound by default.</param>
    /// <param name="identity">Who was refused, named in an Unauthorized message; null where it is not known.</param>
    public static PodManagerException Translate(Exception exception, string action, string server, ErrorId? notFound = null, ClientIdentity? identity = null)
    {
        switch (exception)
        {
            case PodManagerException known:
                return known;
            case HttpOperationException { Response: { } response } http:
                return FromStatus(response.StatusCode, ReadStatus(response.Content), action, notFound ?? ErrorIds.NotFound, http, server, identity);
            case KubernetesException { Status: { Code: { } code } status } kubernetes:
                return FromStatus((HttpStatusCode)code, status, action, notFound ?? ErrorIds.NotFound, kubernetes, server, identity);
            case var tls when RetryPolicy.IsCertificateFailure(tls):
                return new PodManagerException(ErrorIds.CertificateRejected,
                    $"The TLS handshake with the API server at {server} failed on a certificate while {action}: {Sentence(SecretRedactor.Redact(Handshake(tls).Message))} "
                    + "Check the kubeconfig's certificate-authority-data (or certificate-authority) for this cluster: it must hold the CA that signed the API server's certificate, as in the kubeconfig the cluster's administrator gave out. If it does, check the client certificate (client-certificate-data).", tls)
                    { IsFatal = true };
            case System.Net.WebSockets.WebSocketException socket when RetryPolicy.IsRefusedUpgrade(socket):
                return new PodManagerException(ErrorIds.ExecRefused,
                    $"The API server at {server} refused the exec connection while {action}: {socket.Message} Check that the pod runs and the container exists.", socket);
            case TimeoutException timeout:
                return new PodManagerException(ErrorIds.ApiTimeout,
                    $"The API server at {server} did not answer in time while {action}: {timeout.Message} Check the cluster's health and network path.", timeout);
            case HttpRequestException or IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException:
                return new PodManagerException(ErrorIds.ClusterUnreachable,
                    $"Cannot reach the API server at {server} while {action}: {Sentence(SecretRedactor.Redact(Innermost(exception).Message))} Check that the cluster is running and that the kubeconfig's server address is right.", exception)
                    { IsFatal = true };
            default:
                return new PodManagerException(ErrorIds.UnexpectedError,
                    $"Unexpected {exception.GetType().Name} while {action}: {SecretRedactor.Redact(exception.Message)}", exception);
        }
    }

    public static bool IsStatus(Exception exception, HttpStatusCode code) =>
        exception is HttpOperationException { Response.StatusCode: var actual } && actual == code;

    public static V1Status? ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(content);
            return status?.Kind == "Status" ? status : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static PodManagerException FromStatus(HttpStatusCode code, V1Status? status, string action, ErrorId notFound, Exception inner, string server, ClientIdentity? identity)
    {
        var serverMessage = SecretRedactor.Redact(status?.Message ?? code.ToString());
        if (code == HttpStatusCode.Forbidden && PodSecurityRejection.From(serverMessage, action, inner) is { } podSecurity)
        {
            return podSecurity;
        }

        var numeric = (int)code;
        var (id, advice) = code switch
        {
            HttpStatusCode.Unauthorized => (ErrorIds.Unauthorized, Unauthorized(server, identity)),
            HttpStatusCode.Forbidden => (ErrorIds.Forbidden, ForbiddenAdvice(serverMessage)),
            HttpStatusCode.NotFound => (notFound,
                "Check the name and the namespace (-Namespace)."),
            HttpStatusCode.Conflict when status?.Reason == "AlreadyExists" => (ErrorIds.AlreadyExists,
                "Choose another -Name, or remove the existing pod first."),
            HttpStatusCode.Conflict => (ErrorIds.Conflict,
                "The object changed meanwhile; read it again and retry."),
            HttpStatusCode.UnprocessableEntity => (ErrorIds.InvalidPodSpec,
                "Fix the fields named above."),
            HttpStatusCode.BadRequest => (ErrorIds.BadRequest,
                "Fix the request's parameters."),
            _ when RetryPolicy.IsTransientStatus(code) => (ErrorIds.ApiUnavailable,
                "The API server kept failing after every retry; try again later."),
            _ => (ErrorIds.ApiError, ""),
        };

        // For 422 the server's message already lists every invalid field, so it is the whole story.
        var message = $"{Capitalize(action)} failed: {serverMessage} [{numeric} {status?.Reason ?? code.ToString()}]. {advice}".TrimEnd();
        return new PodManagerException(id, message, inner) { StatusCode = numeric, IsFatal = code == HttpStatusCode.Unauthorized };
    }

    /// <summary>
    /// What to do about a 403 that is not Pod Security's (handled above): RBAC says who cannot do what ("User "x"
    /// cannot create resource "pods""); anything else is an admission plugin refusing the object itself (a
    /// PriorityClass that does not exist ...).
    /// </summary>
    private static string ForbiddenAdvice(string serverMessage) =>
        serverMessage.Contains(" cannot ", StringComparison.Ordinal) || !serverMessage.Contains("is forbidden:", StringComparison.Ordinal)
            ? "The credentials are valid but lack permission: ask for a Role that grants the verb on the resource in that namespace (about_PodManager, section LEAST PRIVILEGE, has the Role each cmdlet needs), or use another -Context."
            : "An admission check of the cluster refused the object; change what the message names.";

    private static string Unauthorized(string server, ClientIdentity? identity)
    {
        var who = identity is null ? "the credentials" : $"the credentials of {identity.Describe()}";
        return identity?.Refresh is { } source
            ? $"The API server at {server} rejected {who}, also with a token read again from the {source.Source}: renew the credentials there, or pick another -Context."
            : $"The API server at {server} rejected {who}, and they have no source to be read again from (a static token or certificate): get new credentials (a fresh token, a kubeconfig with a tokenFile or an exec plugin), or pick another -Context.";
    }

    /// <summary>The handshake's own AuthenticationException, whose message says what was wrong with the certificate.</summary>
    private static Exception Handshake(Exception exception)
    {
        var e = exception;
        while (e is not System.Security.Authentication.AuthenticationException && e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    internal static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
