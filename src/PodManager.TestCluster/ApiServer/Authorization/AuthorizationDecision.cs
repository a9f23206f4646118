namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>An authorizer's answer: allowed or not, and its reason (<c>RBAC: allowed by ...</c>, or why a binding
/// could not be evaluated).</summary>
internal sealed record AuthorizationDecision(bool Allowed, string Reason);
